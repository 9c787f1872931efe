import { z } from 'zod';
import { booleanFlag, logLevel, port, positiveInt, postgresUrl, redisUrl } from './fields.js';

/** Variables every service reads. */
export const commonSchema = {
  LOG_LEVEL: logLevel,
  HOST: z.string().default('0.0.0.0'),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ message: 'must be a URL' }).optional(),
};

/**
 * Longest a query may run. Postgres cancels a statement past it, and the driver gives up
 * waiting a little later, so a database that stops answering fails requests instead of
 * hanging them. Migrations run without it, on a connection of their own.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** Variables of services that keep state in Postgres. */
export const databaseSchema = {
  DATABASE_URL: postgresUrl,
  MIGRATE_AT_START: booleanFlag(true),
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt(DEFAULT_STATEMENT_TIMEOUT_MS),
};

/**
 * The transport: BullMQ on Redis when REDIS_URL is set, in-process otherwise (one process
 * only; the embedded stack shares one in-process transport between its apps).
 */
export const transportSchema = {
  REDIS_URL: redisUrl.optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes')
    .default('voxelfleet'),
};

export { port };
