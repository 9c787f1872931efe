import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateApiKey } from '@voxelfleet/auth';
import pg from 'pg';
import { keyNeedles } from './key-needles.js';
import { ManagedProcess, sleep, waitUntil } from './managed-process.js';
import { PrivatePostgres, PrivateRedis } from './private-servers.js';

/** The repository root, whether this file runs from dist/ (the CLI) or from source (Jest). */
export const REPO_ROOT = import.meta.dirname.includes('/dist/bench/')
  ? resolve(import.meta.dirname, '../../../..')
  : resolve(import.meta.dirname, '../../..');

export interface StackPorts {
  /** First of the app ports: gateway, scheduler a/b, gpu-nodes 1-3, tracker follow it. */
  appBase: number;
  postgres: number;
  redis: number;
}

export interface StackOptions {
  ports: StackPorts;
  /** Where logs of every process and the private servers' data go. */
  workDir: string;
  nodeLostAfterMs: number;
  heartbeatMs: number;
}

export interface TenantCredentials {
  tenantId: string;
  principalId: string;
  key: string;
}

export type AppRole = 'gateway' | 'scheduler' | 'gpu-node' | 'tracker';

export interface StackApp {
  role: AppRole;
  name: string;
  url: string;
  process: ManagedProcess;
}

/**
 * The production shape on one machine: a gateway, two schedulers, three gpu-nodes (CPU path),
 * a tracker, each the built entry point in its own process, on a Postgres cluster and a Redis
 * server of the suite's own.
 */
export class ChaosStack {
  readonly apps: StackApp[] = [];
  postgres!: PrivatePostgres;
  redis!: PrivateRedis;
  databaseUrl = '';
  db!: pg.Pool;
  admin!: TenantCredentials;
  tenants: TenantCredentials[] = [];
  readonly prefix = `vf-chaos-${process.pid}`;

  constructor(readonly options: StackOptions) {}

  get gateway(): StackApp {
    return this.app('gateway');
  }

  get tracker(): StackApp {
    return this.app('tracker');
  }

  get schedulers(): StackApp[] {
    return this.apps.filter((app) => app.role === 'scheduler');
  }

  get nodes(): StackApp[] {
    return this.apps.filter((app) => app.role === 'gpu-node');
  }

  app(name: string): StackApp {
    const found = this.apps.find((app) => app.name === name);
    if (!found) throw new Error(`no app ${name}`);
    return found;
  }

  /** Every secret the suite handed out, for the leak scan. */
  secrets(): string[] {
    return [this.admin.key, ...this.tenants.map((tenant) => tenant.key)];
  }

  async start(): Promise<void> {
    const { workDir, ports } = this.options;
    const logDir = join(workDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    // The cluster belongs to the postgres user when run as root, so it lives in a folder of
    // its own under the system temp folder (a private work folder may not be traversable).
    this.postgres = await PrivatePostgres.create(
      join(tmpdir(), `voxelfleet-chaos-pg-${process.pid}-${ports.postgres}`),
      ports.postgres,
      logDir,
    );
    this.redis = await PrivateRedis.create(join(workDir, 'redis'), ports.redis, logDir);
    this.databaseUrl = await this.postgres.createDatabase('voxelfleet');
    const { privateKey } = generateKeyPairSync('ed25519');
    const common = {
      HOST: '127.0.0.1',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redis.url,
      QUEUE_PREFIX: this.prefix,
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      NODE_LOST_AFTER_MS: String(this.options.nodeLostAfterMs),
      SHUTDOWN_GRACE_MS: '5000',
    };
    const port = (offset: number) => ports.appBase + offset;
    const define = (role: AppRole, name: string, offset: number, env: Record<string, string>) => {
      const process = new ManagedProcess({
        name,
        command: globalThis.process.execPath,
        args: [join(REPO_ROOT, `dist/apps/${role}/src/main.js`)],
        cwd: REPO_ROOT,
        env: { ...common, PORT: String(port(offset)), ...env },
        logFile: join(logDir, `${name}.log`),
      });
      this.apps.push({ role, name, url: `http://127.0.0.1:${port(offset)}`, process });
    };
    define('gateway', 'gateway', 0, {
      AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      AUDIT_CHECKPOINT_INTERVAL_MS: '60000',
      AUDIT_SIGNING_KEY_FILE: join(this.options.workDir, 'gateway-audit', 'audit-signing-key.pem'),
      AUDIT_CHECKPOINT_JOURNAL: join(this.options.workDir, 'gateway-audit', 'audit-checkpoints.json'),
      RATE_LIMIT_PER_WINDOW: '10000000',
    });
    define('scheduler', 'scheduler-a', 1, { MIGRATE_AT_START: 'false' });
    define('scheduler', 'scheduler-b', 2, { MIGRATE_AT_START: 'false' });
    for (let i = 1; i <= 3; i += 1) {
      define('gpu-node', `gpu-node-${i}`, 2 + i, {
        NODE_ID: `chaos-node-${i}`,
        HEARTBEAT_INTERVAL_MS: String(this.options.heartbeatMs),
        CPU_SLOTS: '2',
      });
    }
    // Frame-set evidence as voxel.evidence jobs on the fleet, as in production.
    define('tracker', 'tracker', 6, {
      MIGRATE_AT_START: 'false',
      TRACKER_EVIDENCE: 'fleet',
      RATE_LIMIT_PER_WINDOW: '10000000',
    });

    // The gateway migrates; everything else starts on the migrated schema.
    await this.startApp(this.gateway);
    this.db = new pg.Pool({ connectionString: this.databaseUrl, max: 4 });
    this.db.on('error', () => undefined);
    await this.seed();
    this.watchForKeys(this.secrets());
    await Promise.all(this.apps.filter((app) => app.role !== 'gateway').map((app) => this.startApp(app)));
    await waitUntil(
      'three nodes registered and a scheduler leading',
      async () => {
        const { rows } = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM nodes`);
        return Number(rows[0]?.n) >= 3 && (await this.leader()) ? true : undefined;
      },
      30_000,
      200,
    );
  }

  async startApp(app: StackApp, timeoutMs = 60_000): Promise<void> {
    app.process.start();
    await this.waitReady(app, timeoutMs);
  }

  async waitReady(app: StackApp, timeoutMs = 60_000): Promise<void> {
    await waitUntil(
      `${app.name} ready`,
      async () => {
        if (!app.process.running) throw new Error(`${app.name} exited:\n${app.process.output()}`);
        const res = await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
        return res.ok ? true : undefined;
      },
      timeoutMs,
      100,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${app.process.output()}`);
    });
  }

  /** The scheduler that says it leads now, if any. */
  async leader(): Promise<StackApp | undefined> {
    for (const app of this.schedulers) {
      if (!app.process.running) continue;
      try {
        const res = await fetch(`${app.url}/v1/scheduler/status`, { signal: AbortSignal.timeout(1_000) });
        const body = (await res.json()) as { leader?: boolean };
        if (body.leader) return app;
      } catch {
        // down or busy: not the leader we can see
      }
    }
    return undefined;
  }

  /** Tenants A and B (enterprise), a tenant-admin key and a grant for every kernel each, a platform admin. */
  private async seed(): Promise<void> {
    const addKey = async (tenantId: string | null, name: string, roles: string[]) => {
      const { rows } = await this.db.query<{ id: string }>(
        `INSERT INTO principals (tenant_id, kind, name, roles) VALUES ($1, 'service', $2, $3) RETURNING id`,
        [tenantId, name, roles],
      );
      const principalId = rows[0]?.id ?? '';
      const key = generateApiKey();
      await this.db.query(
        `INSERT INTO api_keys (principal_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'chaos')`,
        [principalId, key.prefix, key.hash],
      );
      return { principalId, key: key.key };
    };
    const admin = await addKey(null, 'chaos-platform-admin', ['platform-admin']);
    this.admin = { tenantId: '', ...admin };
    // A and B carry the load and the isolation checks; the third is the fuzzer's own.
    for (const name of ['chaos-a', 'chaos-b', 'chaos-fuzz']) {
      const { rows } = await this.db.query<{ id: string }>(
        `INSERT INTO tenants (name, edition) VALUES ($1, 'enterprise') RETURNING id`,
        [name],
      );
      const tenantId = rows[0]?.id ?? '';
      const credentials = await addKey(tenantId, `${name}-admin`, ['tenant-admin']);
      await this.db.query(
        `INSERT INTO gpu_grants (principal_id, tenant_id, kernels, device_classes, cpu_fallback)
         VALUES ($1, $2, '{**}', '{*}', true)`,
        [credentials.principalId, tenantId],
      );
      this.tenants.push({ tenantId, ...credentials });
    }
  }

  /** Every process (servers too) checks each line it prints for these keys from now on. */
  watchForKeys(keys: readonly string[]): void {
    const needles = keyNeedles(keys);
    for (const proc of [...this.apps.map((app) => app.process), this.redis.process, this.postgres.process]) {
      proc.needles = [...new Set([...proc.needles, ...needles])];
    }
  }

  /** Resident set size (kB → MB) of every running app, by name. */
  rssMb(): Record<string, number> {
    return Object.fromEntries(
      this.apps.flatMap((app) => {
        const mb = app.process.pid === undefined ? undefined : readRssMb(app.process.pid);
        return mb === undefined ? [] : [[app.name, mb]];
      }),
    );
  }

  async stop(): Promise<void> {
    for (const app of this.apps) {
      // A paused process cannot exit.
      if (app.process.running) app.process.signal('SIGCONT');
    }
    await Promise.all(this.apps.map((app) => app.process.close()));
    await this.db?.end().catch(() => undefined);
    await sleep(100);
    await this.redis?.destroy();
    await this.postgres?.destroy();
  }
}

export function readRssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
