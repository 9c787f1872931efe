import {
  booleanFlag,
  commonSchema,
  databaseSchema,
  port,
  positiveInt,
  transportSchema,
} from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { z } from 'zod';

export const trackerConfigSchema = z.object({
  PORT: port(DEFAULT_PORTS.tracker),
  ...commonSchema,
  ...databaseSchema,
  ...transportSchema,
  /** `fleet`: frame-set evidence as voxel.evidence jobs on the gpu-nodes; `local`: on this CPU. */
  TRACKER_EVIDENCE: z.enum(['fleet', 'local']).default('local'),
  /** A frame-set's evidence not back within this budget is reported as a gap. */
  TRACKER_EVIDENCE_BUDGET_MS: positiveInt(3_000),
  /** The gateway's rate limits and their variables (see tracker.settings.ts). */
  RATE_LIMIT_ENABLED: booleanFlag(true),
  RATE_LIMIT_PER_WINDOW: positiveInt(600),
  RATE_LIMIT_WINDOW_MS: positiveInt(60_000),
});
export type TrackerConfig = z.infer<typeof trackerConfigSchema>;
