import type { MigrationInterface, QueryRunner } from 'typeorm';

const GiB = 2 ** 30;

interface EditionSeed {
  name: string;
  features: {
    multiGpu: boolean;
    signedCustomKernels: boolean;
    trackingStreams: boolean;
    cpuFallback: boolean;
  };
  defaults: Record<string, number>;
  ceiling: Record<string, number>;
}

// Defaults are what a new tenant gets; ceilings are what a tenant's own quota may be raised to.
const EDITIONS: EditionSeed[] = [
  {
    name: 'community',
    features: { multiGpu: false, signedCustomKernels: false, trackingStreams: true, cpuFallback: true },
    defaults: quota(8 * GiB, 8 * GiB, 1, 2, 30, 3_600, 1),
    ceiling: quota(16 * GiB, 16 * GiB, 1, 4, 60, 7_200, 1),
  },
  {
    name: 'pro',
    features: { multiGpu: true, signedCustomKernels: true, trackingStreams: true, cpuFallback: true },
    defaults: quota(40 * GiB, 160 * GiB, 4, 16, 300, 86_400, 4),
    ceiling: quota(80 * GiB, 640 * GiB, 8, 64, 1_200, 4 * 86_400, 16),
  },
  {
    name: 'enterprise',
    features: { multiGpu: true, signedCustomKernels: true, trackingStreams: true, cpuFallback: true },
    defaults: quota(80 * GiB, 640 * GiB, 8, 64, 1_200, 8 * 86_400, 16),
    ceiling: quota(141 * GiB, 8_192 * GiB, 128, 1_024, 12_000, 128 * 86_400, 256),
  },
];

function quota(
  vramBytesPerDevice: number,
  vramBytesTotal: number,
  gpus: number,
  concurrentJobs: number,
  jobsPerMinute: number,
  gpuSecondsPerDay: number,
  trackingStreams: number,
): Record<string, number> {
  return {
    vramBytesPerDevice,
    vramBytesTotal,
    gpus,
    concurrentJobs,
    jobsPerMinute,
    gpuSecondsPerDay,
    trackingStreams,
  };
}

/**
 * Editions, tenant scheduling settings, GPU capability grants, node admin states, the signed
 * kernel registry, idempotency records and signed audit checkpoints.
 */
export class GatewayPolicy1763800000000 implements MigrationInterface {
  name = 'GatewayPolicy1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE editions (
        name text PRIMARY KEY,
        features jsonb NOT NULL,
        defaults jsonb NOT NULL,
        ceiling jsonb NOT NULL
      )`);
    for (const edition of EDITIONS) {
      await db.query(`INSERT INTO editions (name, features, defaults, ceiling) VALUES ($1, $2, $3, $4)`, [
        edition.name,
        JSON.stringify(edition.features),
        JSON.stringify(edition.defaults),
        JSON.stringify(edition.ceiling),
      ]);
    }
    await db.query(`
      ALTER TABLE tenants
        ADD COLUMN weight double precision NOT NULL DEFAULT 1 CHECK (weight > 0),
        ADD COLUMN placement_policy text CHECK (placement_policy IN ('least-loaded', 'bin-pack', 'spread')),
        ADD CONSTRAINT tenants_edition_fk FOREIGN KEY (edition) REFERENCES editions(name)`);
    await db.query(`
      CREATE TABLE gpu_grants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        principal_id uuid NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        kernels text[] NOT NULL,
        device_classes text[] NOT NULL,
        cpu_fallback boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        expires_at timestamptz,
        revoked_at timestamptz,
        revoked_by text
      )`);
    await db.query(`CREATE INDEX gpu_grants_principal ON gpu_grants (principal_id) WHERE revoked_at IS NULL`);
    await db.query(`CREATE INDEX gpu_grants_tenant ON gpu_grants (tenant_id)`);
    await db.query(`
      CREATE TABLE node_controls (
        node_id text PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('cordoned', 'draining', 'ready')),
        reason text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text
      )`);
    await db.query(`
      CREATE TABLE kernel_signing_keys (
        key_id text PRIMARY KEY,
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        public_key_pem text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE kernels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        ptx text NOT NULL,
        manifest jsonb NOT NULL,
        signature text NOT NULL,
        ptx_sha256 text NOT NULL,
        key_id text NOT NULL REFERENCES kernel_signing_keys(key_id),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text
      )`);
    await db.query(`CREATE UNIQUE INDEX kernels_tenant_name ON kernels (tenant_id, name) NULLS NOT DISTINCT`);
    await db.query(`
      CREATE TABLE idempotency_keys (
        principal_id uuid NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        body_sha256 text NOT NULL,
        status integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (principal_id, key)
      )`);
    await db.query(`
      CREATE TABLE audit_checkpoints (
        chain text NOT NULL,
        chain_seq bigint NOT NULL,
        hash text NOT NULL,
        at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        PRIMARY KEY (chain, chain_seq)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_checkpoints`);
    await db.query(`DROP TABLE idempotency_keys`);
    await db.query(`DROP TABLE kernels`);
    await db.query(`DROP TABLE kernel_signing_keys`);
    await db.query(`DROP TABLE node_controls`);
    await db.query(`DROP TABLE gpu_grants`);
    await db.query(`
      ALTER TABLE tenants
        DROP CONSTRAINT tenants_edition_fk,
        DROP COLUMN placement_policy,
        DROP COLUMN weight`);
    await db.query(`DROP TABLE editions`);
  }
}
