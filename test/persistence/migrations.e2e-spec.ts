import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from '@voxelfleet/migrations';
import pg from 'pg';
import { createTestDatabase } from '../support/database.js';
import { SpawnedApp } from '../support/spawned-app.js';

const TABLES = ['tenants', 'principals', 'api_keys', 'audit_log'];

describe('migrations (npm run migration:run / migration:revert)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;

  const tables = async () =>
    (
      await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      )
    ).rows.map((row) => row.table_name);

  beforeAll(async () => {
    db = await createTestDatabase('migrations');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('applies, reverts and re-applies cleanly', async () => {
    const run = await runCli(db.url, 'run');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/applied: IdentityAndAudit/);
    expect(await tables()).toEqual(expect.arrayContaining(TABLES));

    const again = await runCli(db.url, 'run');
    expect(again.output).toMatch(/schema is up to date/);

    // Every migration reverts, newest first, one per call; then only the ledger is left.
    for (let left = MIGRATIONS.length; left > 0; left--) {
      const revert = await runCli(db.url, 'revert');
      expect(revert.code).toBe(0);
      const applied = await client.query('SELECT count(*)::int AS n FROM schema_migrations');
      expect(applied.rows[0]).toEqual({ n: left - 1 });
    }
    expect(await tables()).toEqual(['schema_migrations']);

    const none = await runCli(db.url, 'revert');
    expect(none.output).toMatch(/no migration to revert/);

    expect((await runCli(db.url, 'run')).code).toBe(0);
  });

  it('keeps the audit log append-only', async () => {
    await client.query(
      `INSERT INTO audit_log (chain, chain_seq, at, actor_type, action, resource_type, outcome, prev_hash, hash)
       VALUES ('platform', 1, now(), 'system', 'test', 'none', 'ok', '', 'h')`,
    );
    await expect(client.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(client.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(client.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const { rows } = await client.query<{ action: string }>('SELECT action FROM audit_log');
    expect(rows).toEqual([{ action: 'test' }]);
  });

  it('refuses an unknown command with a usage line', async () => {
    const cli = SpawnedApp.startWithArgs('dist/libs/persistence/src/cli/migrate.js', ['sideways'], {
      DATABASE_URL: db.url,
    });
    expect(await cli.exitCode()).toBe(64);
    expect(cli.stderr.join('')).toMatch(/^usage: migrate.js run\|revert/);
  });
});

async function runCli(databaseUrl: string, command: 'run' | 'revert') {
  const cli = SpawnedApp.startWithArgs('dist/libs/persistence/src/cli/migrate.js', [command], {
    DATABASE_URL: databaseUrl,
  });
  const code = await cli.exitCode();
  return { code, output: cli.output() };
}
