import { commonSchema, databaseSchema, port, transportSchema } from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  PORT: port(DEFAULT_PORTS.gateway),
  ...commonSchema,
  ...databaseSchema,
  ...transportSchema,
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
