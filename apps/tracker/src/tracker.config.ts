import { commonSchema, databaseSchema, port, transportSchema } from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { z } from 'zod';

export const trackerConfigSchema = z.object({
  PORT: port(DEFAULT_PORTS.tracker),
  ...commonSchema,
  ...databaseSchema,
  ...transportSchema,
});
export type TrackerConfig = z.infer<typeof trackerConfigSchema>;
