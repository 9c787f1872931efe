import { generateApiKey } from '@voxelfleet/auth';
import pg from 'pg';
import { createTestDatabase } from '../../support/database.js';
import { testRedisUrl } from '../../support/env.js';
import { SpawnedApp } from '../../support/spawned-app.js';

export interface TrackerHarness {
  url: string;
  process: SpawnedApp;
  db: pg.Client;
  /** Another tracker instance on the same database and Redis prefix (env added); returns its URL. */
  startSibling(port: number, extraEnv?: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The built tracker (`npm run build` first) as its own process on a fresh database, with
 * Redis (socket.io adapter, transport) under a prefix of its own.
 */
export async function startTracker(label: string, port: number): Promise<TrackerHarness> {
  const database = await createTestDatabase(label);
  const prefix = `vf-e2e-${label.replace(/_/g, '-')}-${process.pid}`;
  const env = {
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    // Tests drive many requests with one key; the limits have tests of their own (a sibling).
    RATE_LIMIT_PER_WINDOW: '100000',
  };
  const child = SpawnedApp.start('dist/apps/tracker/src/main.js', { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await waitForReady(child, url);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const siblings: SpawnedApp[] = [];
  return {
    url,
    process: child,
    db,
    async startSibling(siblingPort, extraEnv = {}) {
      const sibling = SpawnedApp.start('dist/apps/tracker/src/main.js', {
        ...env,
        PORT: String(siblingPort),
        ...extraEnv,
      });
      siblings.push(sibling);
      const siblingUrl = `http://127.0.0.1:${siblingPort}`;
      await waitForReady(sibling, siblingUrl);
      return siblingUrl;
    },
    async stop() {
      await Promise.all([child, ...siblings].map((app) => app.stop('SIGTERM')));
      await db.end();
      await database.drop();
    },
  };
}

async function waitForReady(child: SpawnedApp, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.child.exitCode !== null) throw new Error(`tracker exited: ${child.output()}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`tracker not ready within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A tenant of an edition, written straight to the table (a fixture, not the API under test). */
export async function seedTenant(db: pg.Client, name: string, edition = 'pro'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO tenants (name, edition) VALUES ($1, $2) RETURNING id`,
    [name, edition],
  );
  return rows[0]?.id ?? '';
}

/** A principal with one API key. */
export async function seedKey(
  db: pg.Client,
  tenantId: string | null,
  roles: string[],
  name: string,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO principals (tenant_id, kind, name, roles) VALUES ($1, 'service', $2, $3) RETURNING id`,
    [tenantId, name, roles],
  );
  const generated = generateApiKey();
  await db.query(`INSERT INTO api_keys (principal_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'e2e')`, [
    rows[0]?.id,
    generated.prefix,
    generated.hash,
  ]);
  return generated.key;
}
