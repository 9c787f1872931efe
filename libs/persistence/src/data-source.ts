import { DEFAULT_STATEMENT_TIMEOUT_MS } from '@voxelfleet/config';
import { MIGRATIONS } from '@voxelfleet/migrations';
import { DataSource } from 'typeorm';

export interface DataSourceOptions {
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  applicationName?: string;
  /**
   * Postgres cancels a statement running longer (statement_timeout), and the driver stops
   * waiting for an answer a few seconds after that (a server that no longer answers at all).
   * 0 turns both off: for migrations, which may legitimately run long.
   */
  statementTimeoutMs?: number;
}

/** How much longer than the server's own limit the driver waits before giving up on an answer. */
const READ_TIMEOUT_MARGIN_MS = 5_000;

/** The one TypeORM data source shape every app uses. Schema changes only through migrations. */
export function createDataSource({
  url,
  poolSize = 10,
  applicationName = 'voxelfleet',
  statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS,
}: DataSourceOptions): DataSource {
  const timeouts =
    statementTimeoutMs > 0
      ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + READ_TIMEOUT_MARGIN_MS }
      : {};
  return new DataSource({
    type: 'postgres',
    url,
    // No entity classes: every table is read and written through the stores in tenancy/ and jobs/.
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    extra: { max: poolSize, connectionTimeoutMillis: 5_000, ...timeouts },
  });
}
