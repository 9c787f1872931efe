import {
  commonSchema,
  databaseSchema,
  port,
  positiveInt,
  postgresUrl,
  transportSchema,
  booleanFlag,
} from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { z } from 'zod';

/** `npm start`: all four apps in one process, on embedded defaults unless told otherwise. */
export const stackConfigSchema = z.object({
  ...commonSchema,
  ...transportSchema,
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: postgresUrl.optional(),
  MIGRATE_AT_START: booleanFlag(true),
  DATABASE_STATEMENT_TIMEOUT_MS: databaseSchema.DATABASE_STATEMENT_TIMEOUT_MS,
  DATA_DIR: z.string().min(1).default('.data'),
  GATEWAY_PORT: port(DEFAULT_PORTS.gateway),
  SCHEDULER_PORT: port(DEFAULT_PORTS.scheduler),
  GPU_NODE_PORT: port(DEFAULT_PORTS['gpu-node']),
  TRACKER_PORT: port(DEFAULT_PORTS.tracker),
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
    .default('local-node'),
  HEARTBEAT_INTERVAL_MS: positiveInt(1_000),
  /** Frame-set evidence on the fleet (this process's gpu-node) by default, or `local`. */
  TRACKER_EVIDENCE: z.enum(['fleet', 'local']).default('fleet'),
  TRACKER_EVIDENCE_BUDGET_MS: positiveInt(3_000),
  NODE_LOST_AFTER_MS: positiveInt(5_000),
  BOOTSTRAP_ADMIN_KEY: z
    .string()
    .regex(
      /^vf_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/,
      'must look like vf_<10 lower-case letters or digits>_<43 base64url characters>',
    )
    .optional(),
});
export type StackConfig = z.infer<typeof stackConfigSchema>;
