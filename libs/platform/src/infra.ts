import { createDataSource, migrateWithLock } from '@voxelfleet/persistence';
import { createTransport, type Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

export interface InfraConfig {
  DATABASE_URL?: string;
  MIGRATE_AT_START?: boolean;
  DATABASE_STATEMENT_TIMEOUT_MS?: number;
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
  if (config.MIGRATE_AT_START) {
    // Connections of their own without the statement timeout, since a migration may run long:
    // one holds the advisory lock, the other runs the migrations.
    const migrator = createDataSource({
      url: config.DATABASE_URL,
      poolSize: 2,
      applicationName: `${applicationName}-migrate`,
      statementTimeoutMs: 0,
    });
    await migrator.initialize();
    try {
      const applied = await migrateWithLock(migrator);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    } finally {
      await migrator.destroy();
    }
  }
  const dataSource = createDataSource({
    url: config.DATABASE_URL,
    applicationName,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  await dataSource.initialize();
  return dataSource;
}

export function openTransport(config: InfraConfig, logger: Logger): Transport {
  const transport = createTransport({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  if (transport.kind === 'in-process') {
    logger.warn('REDIS_URL is not set: using the in-process transport, which only reaches this process');
  }
  return transport;
}
