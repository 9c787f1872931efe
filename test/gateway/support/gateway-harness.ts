import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey } from '@voxelfleet/auth';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { createTransport, type Transport } from '@voxelfleet/transport';
import pg from 'pg';
import { createTestDatabase } from '../../support/database.js';
import { testRedisUrl } from '../../support/env.js';
import { SpawnedApp } from '../../support/spawned-app.js';

export interface GatewayHarness {
  url: string;
  process: SpawnedApp;
  db: pg.Client;
  databaseUrl: string;
  /** The same Redis transport namespace as the gateway, to publish node heartbeats. */
  transport: Transport;
  auditPrivateKeyPem: string;
  /** This gateway's own folder for its audit key file and checkpoint journal. */
  auditDir: string;
  /** Another gateway process on the same database and transport, with its own settings. */
  startSibling(port: number, env: Record<string, string>): Promise<SpawnedApp>;
  stop(): Promise<void>;
}

/**
 * The built gateway (`npm run build` first) as its own process on a fresh database, with
 * BullMQ on the test Redis under a prefix of its own.
 */
export async function startGateway(
  label: string,
  port: number,
  env: Record<string, string> = {},
  options: { generatedAuditKey?: boolean } = {},
): Promise<GatewayHarness> {
  const database = await createTestDatabase(label);
  const prefix = `vf-e2e-${label.replace(/_/g, '-')}-${process.pid}`;
  const { privateKey } = generateKeyPairSync('ed25519');
  const auditPrivateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const auditDir = mkdtempSync(join(tmpdir(), `vf-e2e-${label}-`));
  const baseEnv: Record<string, string> = {
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    // Without it the gateway makes its own key in AUDIT_SIGNING_KEY_FILE (the default).
    ...(options.generatedAuditKey ? {} : { AUDIT_SIGNING_KEY: auditPrivateKeyPem }),
    AUDIT_SIGNING_KEY_FILE: join(auditDir, 'audit-signing-key.pem'),
    AUDIT_CHECKPOINT_JOURNAL: join(auditDir, 'audit-checkpoints.json'),
    AUDIT_CHECKPOINT_INTERVAL_MS: '3600000',
    RATE_LIMIT_PER_WINDOW: '100000',
    NODE_LOST_AFTER_MS: '3000',
  };
  const spawnOne = async (p: number, extra: Record<string, string>) => {
    const child = SpawnedApp.start('dist/apps/gateway/src/main.js', {
      ...baseEnv,
      PORT: String(p),
      ...extra,
    });
    await waitForReady(child, `http://127.0.0.1:${p}`);
    return child;
  };
  const child = await spawnOne(port, env);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const transport = createTransport({ redisUrl: testRedisUrl(), prefix });
  const siblings: SpawnedApp[] = [];
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    db,
    databaseUrl: database.url,
    transport,
    auditPrivateKeyPem,
    auditDir,
    async startSibling(p, extra) {
      const sibling = await spawnOne(p, extra);
      siblings.push(sibling);
      return sibling;
    },
    async stop() {
      await Promise.all([child, ...siblings].map((app) => app.stop('SIGKILL')));
      await transport.close();
      await db.end();
      await database.drop();
    },
  };
}

async function waitForReady(child: SpawnedApp, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.child.exitCode !== null) throw new Error(`gateway exited: ${child.output()}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`gateway not ready within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A principal with one API key, written straight to the tables (a fixture, not the API under test). */
export async function seedPrincipal(
  db: pg.Client,
  options: { tenantId: string | null; roles: string[]; name: string },
): Promise<{ id: string; key: string }> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO principals (tenant_id, kind, name, roles) VALUES ($1, 'service', $2, $3) RETURNING id`,
    [options.tenantId, options.name, options.roles],
  );
  const id = rows[0]?.id ?? '';
  const generated = generateApiKey();
  await db.query(`INSERT INTO api_keys (principal_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'e2e')`, [
    id,
    generated.prefix,
    generated.hash,
  ]);
  return { id, key: generated.key };
}

export async function seedTenant(db: pg.Client, name: string, edition = 'pro'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO tenants (name, edition) VALUES ($1, $2) RETURNING id`,
    [name, edition],
  );
  return rows[0]?.id ?? '';
}

const GiB = 2 ** 30;

/** A node report with H100-like devices; `byTenant` is VRAM held per tenant on device 0. */
export function heartbeat(
  nodeId: string,
  options: { devices?: number; byTenant?: Record<string, number> } = {},
): NodeHeartbeat {
  const count = options.devices ?? 2;
  return {
    nodeId,
    hostname: `${nodeId}.local`,
    sentAt: Date.now(),
    state: 'ready',
    cpu: { cores: 16, load1: 0.5, slots: { total: 4, free: 4 } },
    runningJobs: 0,
    fallbacks: 0,
    devices: Array.from({ length: count }, (_, index) => {
      const held = index === 0 ? Object.values(options.byTenant ?? {}).reduce((a, b) => a + b, 0) : 0;
      return {
        index,
        uuid: `GPU-${nodeId}-${index}`,
        name: 'NVIDIA H100 80GB HBM3',
        memoryTotalBytes: 80 * GiB,
        memoryFreeBytes: 80 * GiB - held,
        capability: {
          vendor: 'nvidia',
          architecture: 'hopper',
          computeCapability: { major: 9, minor: 0 },
          precisions: ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8'],
          tensorCores: true,
        },
        telemetry: {
          utilization: 0.25,
          temperatureC: 50,
          powerW: 300,
          smClockMhz: 1980,
          throttling: false,
          xidErrors: 0,
        },
        pool: {
          capacityBytes: 76 * GiB,
          allocatedBytes: held,
          peakBytes: held,
          largestFreeBlockBytes: 76 * GiB - held,
          byTenant: index === 0 ? (options.byTenant ?? {}) : {},
          allocations: 3,
          allocationFailures: 0,
          softOoms: 0,
          hardOoms: 0,
        },
        healthy: true,
      };
    }),
  };
}
