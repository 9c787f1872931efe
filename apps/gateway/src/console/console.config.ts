import { port } from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { z } from 'zod';

/**
 * Where the console's browser finds the tracker (its REST routes and socket.io). Set
 * CONSOLE_TRACKER_URL when the tracker is published elsewhere (a proxy, another host); by
 * default it is the host the console was loaded from, on TRACKER_PORT.
 */
export const consoleConfigSchema = z.object({
  CONSOLE_TRACKER_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+\/?$/, 'must be an http(s) origin such as https://tracker.example.com')
    .optional(),
  TRACKER_PORT: port(DEFAULT_PORTS.tracker),
});
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;
