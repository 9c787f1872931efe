import { MIGRATIONS } from '@voxelfleet/migrations';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity.js';
import { AuditEntryEntity } from './entities/audit-entry.entity.js';
import { PrincipalEntity } from './entities/principal.entity.js';
import { TenantEntity } from './entities/tenant.entity.js';

export const ENTITIES = [TenantEntity, PrincipalEntity, ApiKeyEntity, AuditEntryEntity];

export interface DataSourceOptions {
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  applicationName?: string;
}

/** The one TypeORM data source shape every app uses. Schema changes only through migrations. */
export function createDataSource({
  url,
  poolSize = 10,
  applicationName = 'voxelfleet',
}: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    extra: { max: poolSize, connectionTimeoutMillis: 5_000 },
  });
}
