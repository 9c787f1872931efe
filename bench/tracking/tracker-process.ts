import { spawn, type ChildProcess } from 'node:child_process';
import { generateApiKey } from '@voxelfleet/auth';
import pg from 'pg';

/** The built tracker as its own process on a fresh database, and an API key of a pro tenant. */
export interface TrackerProcess {
  url: string;
  key: string;
  stop(): Promise<void>;
}

export async function startTrackerProcess(port: number): Promise<TrackerProcess> {
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `vf_bench_tracking_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const dbUrl = new URL(admin);
  dbUrl.pathname = `/${name}`;
  const child: ChildProcess = spawn(process.execPath, ['dist/apps/tracker/src/main.js'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
      QUEUE_PREFIX: `vf-bench-tracking-${process.pid}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tracker exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('tracker not ready within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  const tenant = await db.query<{ id: string }>(
    `INSERT INTO tenants (name, edition) VALUES ($1, 'pro') RETURNING id`,
    [`bench-${process.pid}`],
  );
  const principal = await db.query<{ id: string }>(
    `INSERT INTO principals (tenant_id, kind, name, roles) VALUES ($1, 'service', 'bench', $2) RETURNING id`,
    [tenant.rows[0]?.id, ['tenant-admin']],
  );
  const generated = generateApiKey();
  await db.query(
    `INSERT INTO api_keys (principal_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'bench')`,
    [principal.rows[0]?.id, generated.prefix, generated.hash],
  );
  await db.end();
  return {
    url,
    key: generated.key,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
