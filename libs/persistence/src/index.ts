export * from './data-source.js';
export * from './migrate.js';
export * from './embedded-postgres.js';
export * from './entities/tenant.entity.js';
export * from './entities/principal.entity.js';
export * from './entities/api-key.entity.js';
export * from './entities/audit-entry.entity.js';
export * from './tenancy/index.js';
