import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from '@voxelfleet/migrations';
import { JOB_STATE_MOVES, JOB_STATES } from '@voxelfleet/contracts';
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

  it("records a job's moves and removes them with the job, down to a deleted tenant", async () => {
    const tenant = await client.query<{ id: string }>(
      `INSERT INTO tenants (name) VALUES ('history') RETURNING id`,
    );
    const tenantId = tenant.rows[0]?.id;
    const jobs = await client.query<{ id: string }>(
      `INSERT INTO jobs (tenant_id, kernel, priority) VALUES ($1, '{"name":"noop"}', 'normal'), ($1, '{"name":"noop"}', 'normal')
       RETURNING id`,
      [tenantId],
    );
    const [kept, dropped] = jobs.rows.map((row) => row.id);
    await client.query(`UPDATE jobs SET state = 'placed', state_reason = 'placed on n1', node_id = 'n1'`);
    const moves = await client.query<{ job_id: string; to_state: string }>(
      `SELECT job_id, to_state FROM job_transitions WHERE job_id = $1 ORDER BY id`,
      [kept],
    );
    expect(moves.rows.map((row) => row.to_state)).toEqual(['submitted', 'admitted', 'placed']);

    await client.query(`DELETE FROM jobs WHERE id = $1`, [dropped]);
    const left = await client.query<{ job_id: string }>(`SELECT DISTINCT job_id FROM job_transitions`);
    expect(left.rows).toEqual([{ job_id: kept }]);

    await client.query(`DELETE FROM tenants WHERE id = $1`, [tenantId]);
    expect((await client.query(`SELECT count(*)::int AS n FROM job_transitions`)).rows[0]).toEqual({ n: 0 });
  });

  it('allows exactly the state moves libs/contracts lists (JOB_STATE_MOVES), and stamps each with its time', async () => {
    const tenant = await client.query<{ id: string }>(
      `INSERT INTO tenants (name) VALUES ('moves') RETURNING id`,
    );
    const allowed = new Set(JOB_STATES.flatMap((from) => JOB_STATE_MOVES[from].map((to) => `${from}>${to}`)));
    expect(allowed.size).toBeGreaterThan(20);
    // The table the guard is generated from lists the same moves, so a later guard agrees too.
    const listed = await client.query<{ move: string }>(
      `SELECT from_state || '>' || to_state AS move FROM job_state_moves`,
    );
    expect(listed.rows.map((row) => row.move).sort()).toEqual([...allowed].sort());
    for (const from of JOB_STATES) {
      for (const to of JOB_STATES) {
        if (from === to) continue;
        const job = await client.query<{ id: string }>(
          `INSERT INTO jobs (tenant_id, kernel, priority) VALUES ($1, '{"name":"noop"}', 'normal') RETURNING id`,
          [tenant.rows[0]?.id],
        );
        // Put the job in the starting state with triggers off, as a superuser could.
        await client.query(`SET session_replication_role = replica`);
        await client.query(`UPDATE jobs SET state = $2, updated_at = '2000-01-01' WHERE id = $1`, [
          job.rows[0]?.id,
          from,
        ]);
        await client.query(`SET session_replication_role = DEFAULT`);
        const move = client.query<{ updated_at: Date }>(
          `UPDATE jobs SET state = $2 WHERE id = $1 RETURNING updated_at`,
          [job.rows[0]?.id, to],
        );
        if (allowed.has(`${from}>${to}`)) {
          const moved = await move;
          expect(moved.rows[0]?.updated_at.getFullYear()).toBeGreaterThan(2000);
        } else {
          await expect(move).rejects.toThrow(`${from} -> ${to} is not a valid transition`);
        }
      }
    }
    await client.query(`DELETE FROM tenants WHERE id = $1`, [tenant.rows[0]?.id]);
  });

  it('records every move of a large statement after small ones on the same connection', async () => {
    // A connection's first statements change a few jobs, a later one thousands: the
    // transitions trigger plans each statement for its own size (it once kept the first
    // plan's nested loop, which made such a statement quadratic) and still sees both
    // transition tables.
    const tenant = await client.query<{ id: string }>(
      `INSERT INTO tenants (name) VALUES ('sizes') RETURNING id`,
    );
    const tenantId = tenant.rows[0]?.id;
    const submitAndPlace = async (count: number, nodeId: string) => {
      await client.query(
        `INSERT INTO jobs (tenant_id, kernel, priority) SELECT $1, '{"name":"noop"}', 'normal' FROM generate_series(1, $2)`,
        [tenantId, count],
      );
      await client.query(
        `UPDATE jobs SET state = 'placed', node_id = $2 WHERE tenant_id = $1 AND state = 'submitted'`,
        [tenantId, nodeId],
      );
    };
    for (let i = 0; i < 8; i += 1) await submitAndPlace(2, 'n1');
    await submitAndPlace(3000, 'n2');
    const moves = await client.query<{ moves: string }>(
      `SELECT string_agg(t.to_state, '>' ORDER BY t.id) AS moves
         FROM jobs j JOIN job_transitions t ON t.job_id = j.id
        WHERE j.tenant_id = $1
        GROUP BY j.id`,
      [tenantId],
    );
    expect(moves.rows).toHaveLength(3016);
    expect(new Set(moves.rows.map((row) => row.moves))).toEqual(new Set(['submitted>admitted>placed']));
    const source = await client.query<{ prosrc: string }>(
      `SELECT prosrc FROM pg_proc WHERE proname = 'jobs_record_transitions'`,
    );
    expect(source.rows[0]?.prosrc).toMatch(/EXECUTE/);
    await client.query(`DELETE FROM tenants WHERE id = $1`, [tenantId]);
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
