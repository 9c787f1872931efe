import {
  booleanFlag,
  commonSchema,
  databaseSchema,
  port,
  positiveInt,
  schedulingPolicyFrom,
  schedulingPolicySchema,
  transportSchema,
} from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { loadEd25519PrivateKey } from '@voxelfleet/audit';
import { z } from 'zod';
import { DEFAULT_GATEWAY_SETTINGS, type GatewaySettings } from './gateway.settings.js';

const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const gatewayConfigSchema = z.object({
  PORT: port(DEFAULT_PORTS.gateway),
  ...commonSchema,
  ...databaseSchema,
  ...transportSchema,
  RATE_LIMIT_PER_WINDOW: positiveInt(DEFAULT_GATEWAY_SETTINGS.rateLimit.limit),
  RATE_LIMIT_WINDOW_MS: positiveInt(DEFAULT_GATEWAY_SETTINGS.rateLimit.windowMs),
  RATE_LIMIT_ENABLED: booleanFlag(true),
  AUTH_CACHE_TTL_MS: nonNegativeInt(DEFAULT_GATEWAY_SETTINGS.authCacheTtlMs),
  POLICY_CACHE_TTL_MS: nonNegativeInt(DEFAULT_GATEWAY_SETTINGS.policyCacheTtlMs),
  AUDIT_SIGNING_KEY: z
    .string()
    .min(1)
    .refine(isEd25519PrivateKey, 'must be an Ed25519 private key, PEM or base64 PKCS#8')
    .optional(),
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).default(DEFAULT_GATEWAY_SETTINGS.auditSigningKeyFile),
  AUDIT_CHECKPOINT_JOURNAL: z.string().min(1).default(DEFAULT_GATEWAY_SETTINGS.auditCheckpointJournal),
  AUDIT_CHECKPOINT_INTERVAL_MS: positiveInt(DEFAULT_GATEWAY_SETTINGS.checkpointIntervalMs),
  NODE_LOST_AFTER_MS: positiveInt(DEFAULT_GATEWAY_SETTINGS.nodeLostAfterMs),
  CORS_ORIGINS: z.string().default(''),
  // Simulate answers with the scheduler's own settings: set these as the scheduler's are.
  ...schedulingPolicySchema,
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function gatewaySettingsFrom(config: GatewayConfig): GatewaySettings {
  return {
    rateLimit: {
      enabled: config.RATE_LIMIT_ENABLED,
      limit: config.RATE_LIMIT_PER_WINDOW,
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      // The transport's Redis and prefix: every gateway of one deployment spends one budget.
      ...(config.REDIS_URL === undefined
        ? {}
        : { redisUrl: config.REDIS_URL, keyPrefix: config.QUEUE_PREFIX }),
    },
    authCacheTtlMs: config.AUTH_CACHE_TTL_MS,
    policyCacheTtlMs: config.POLICY_CACHE_TTL_MS,
    auditSigningKey: config.AUDIT_SIGNING_KEY,
    auditSigningKeyFile: config.AUDIT_SIGNING_KEY_FILE,
    auditCheckpointJournal: config.AUDIT_CHECKPOINT_JOURNAL,
    checkpointIntervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS,
    nodeLostAfterMs: config.NODE_LOST_AFTER_MS,
    corsOrigins: config.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    scheduling: schedulingPolicyFrom(config),
  };
}

function isEd25519PrivateKey(value: string): boolean {
  try {
    loadEd25519PrivateKey(value);
    return true;
  } catch {
    return false;
  }
}
