import { generateApiKey } from '@voxelfleet/auth';
import { createDataSource, migrateWithLock } from '@voxelfleet/persistence';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../support/database.js';
import { testRedisUrl } from '../support/env.js';
import { SpawnedApp } from '../support/spawned-app.js';

/** A database of its own, migrated, with a data source for direct checks. */
export async function schedulerDatabase(label: string): Promise<{
  url: string;
  db: DataSource;
  close(): Promise<void>;
}> {
  const database = await createTestDatabase(label);
  const db = createDataSource({ url: database.url, poolSize: 4 });
  await db.initialize();
  await migrateWithLock(db);
  return {
    url: database.url,
    db,
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}

export interface TenantFixture {
  tenantId: string;
  key: string;
}

/** A tenant with a tenant-admin key and a grant for every kernel, on GPUs and the CPU. */
export async function seedTenant(
  db: DataSource,
  name: string,
  options: { edition?: string; quota?: Record<string, number> } = {},
): Promise<TenantFixture> {
  const [tenant] = await db.query<{ id: string }[]>(
    `INSERT INTO tenants (name, edition, quota) VALUES ($1, $2, $3) RETURNING id`,
    [name, options.edition ?? 'enterprise', JSON.stringify(options.quota ?? {})],
  );
  const tenantId = (tenant as { id: string }).id;
  const [principal] = await db.query<{ id: string }[]>(
    `INSERT INTO principals (tenant_id, kind, name, roles) VALUES ($1, 'service', $2, '{tenant-admin}') RETURNING id`,
    [tenantId, `${name}-admin`],
  );
  const principalId = (principal as { id: string }).id;
  const key = generateApiKey();
  await db.query(`INSERT INTO api_keys (principal_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'e2e')`, [
    principalId,
    key.prefix,
    key.hash,
  ]);
  await db.query(
    `INSERT INTO gpu_grants (principal_id, tenant_id, kernels, device_classes, cpu_fallback) VALUES ($1, $2, '{**}', '{*}', true)`,
    [principalId, tenantId],
  );
  return { tenantId, key: key.key };
}

export function startApp(
  app: 'gateway' | 'scheduler' | 'gpu-node',
  port: number,
  env: Record<string, string | undefined>,
): SpawnedApp {
  return SpawnedApp.start(`dist/apps/${app}/src/main.js`, {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: testRedisUrl(),
    LOG_LEVEL: 'info',
    MIGRATE_AT_START: 'false',
    ...env,
  });
}

export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Inputs for a CPU matmul of 512×128 by 128×512: about a tenth of a second on one core,
 * with a request body well under the gateway's 1 MB limit.
 */
export function slowMatmulInputs(): Record<string, unknown> {
  const m = 512;
  const n = 512;
  const k = 128;
  const buffer = (length: number) => ({
    base64: Buffer.from(new Float32Array(length).fill(1).buffer).toString('base64'),
    dtype: 'f32',
  });
  return { a: buffer(m * k), b: buffer(k * n), m, n, k };
}
