import { hostname } from 'node:os';
import { commonSchema, port, positiveInt, transportSchema } from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { z } from 'zod';

export const gpuNodeConfigSchema = z.object({
  PORT: port(DEFAULT_PORTS['gpu-node']),
  ...commonSchema,
  ...transportSchema,
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
    .default(
      hostname()
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .slice(0, 64),
    ),
  HEARTBEAT_INTERVAL_MS: positiveInt(1_000),
});
export type GpuNodeConfig = z.infer<typeof gpuNodeConfigSchema>;

export interface GpuNodeSettings {
  nodeId: string;
  heartbeatIntervalMs: number;
}
