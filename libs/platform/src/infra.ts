import { createDataSource, migrateWithLock } from '@voxelfleet/persistence';
import { createTransport, type Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

export interface InfraConfig {
  DATABASE_URL?: string;
  MIGRATE_AT_START?: boolean;
  REDIS_URL?: string;
  QUEUE_PREFIX: string;
}

/** Connects to Postgres (migrating first when asked) and opens the transport. */
export async function openDatabase(
  config: InfraConfig,
  logger: Logger,
  applicationName: string,
): Promise<DataSource> {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const dataSource = createDataSource({ url: config.DATABASE_URL, applicationName });
  await dataSource.initialize();
  if (config.MIGRATE_AT_START) {
    const applied = await migrateWithLock(dataSource);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  return dataSource;
}

export function openTransport(config: InfraConfig, logger: Logger): Transport {
  const transport = createTransport({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  if (transport.kind === 'in-process') {
    logger.warn('REDIS_URL is not set: using the in-process transport, which only reaches this process');
  }
  return transport;
}
