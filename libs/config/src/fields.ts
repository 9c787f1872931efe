import { z } from 'zod';

/** Reusable field parsers for environment variables (all arrive as strings). */
export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const postgresUrl = z
  .string({ message: 'is required (e.g. postgres://user@127.0.0.1:5432/voxelfleet)' })
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// URL');

export const redisUrl = z.string().refine((value) => /^rediss?:\/\//.test(value), 'must be a redis:// URL');

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
