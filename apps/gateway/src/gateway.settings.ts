import type { SchedulingPolicySettings } from '@voxelfleet/scheduling';

/** What the gateway module needs beyond the shared infrastructure. */
export interface GatewaySettings {
  /** Counted in Redis (shared by every gateway) when redisUrl is set, else per process. */
  rateLimit: { enabled: boolean; limit: number; windowMs: number; redisUrl?: string; keyPrefix?: string };
  /** How long a resolved API key is reused before Postgres is read again (0: never). */
  authCacheTtlMs: number;
  /**
   * How long tenant policies and node admin states are reused before Postgres is read
   * again; changes made through this gateway apply at once (0: read every time).
   */
  policyCacheTtlMs: number;
  /** Ed25519 private key (PEM or base64 DER) for audit checkpoints; none: the key file's. */
  auditSigningKey?: string;
  /** Where the signing key is kept when AUDIT_SIGNING_KEY is not given; made on the first start. */
  auditSigningKeyFile: string;
  /** This process's latest signed checkpoint per chain, kept off the database. */
  auditCheckpointJournal: string;
  checkpointIntervalMs: number;
  /** A node silent for longer than this is shown as lost. */
  nodeLostAfterMs: number;
  /** Origins allowed by CORS; empty: no cross-origin browser access. */
  corsOrigins: string[];
  /**
   * The scheduler's seed and placement policy (SCHEDULER_SEED, SCHEDULER_POLICY,
   * SCHEDULER_PLACEMENT_SAMPLE, one definition in libs/config): simulate decides with them.
   */
  scheduling: SchedulingPolicySettings;
}

export const DEFAULT_GATEWAY_SETTINGS: GatewaySettings = {
  rateLimit: { enabled: true, limit: 600, windowMs: 60_000 },
  authCacheTtlMs: 2_000,
  policyCacheTtlMs: 1_000,
  auditSigningKeyFile: '.data/audit-signing-key.pem',
  auditCheckpointJournal: '.data/audit-checkpoints.json',
  checkpointIntervalMs: 60_000,
  nodeLostAfterMs: 5_000,
  corsOrigins: [],
  scheduling: {},
};

export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
