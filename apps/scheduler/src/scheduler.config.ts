import { commonSchema, databaseSchema, port, positiveInt, transportSchema } from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { z } from 'zod';

export const schedulerConfigSchema = z.object({
  PORT: port(DEFAULT_PORTS.scheduler),
  ...commonSchema,
  ...databaseSchema,
  ...transportSchema,
  NODE_LOST_AFTER_MS: positiveInt(5_000),
});
export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;

export interface SchedulerSettings {
  nodeLostAfterMs: number;
}
