export * from './data-source.js';
export * from './migrate.js';
export * from './embedded/embedded-postgres.js';
export * from './embedded/pglite-import.js';
export * from './tenancy/index.js';
export * from './tracking-rows.js';
export * from './pg-errors.js';
export * from './jobs/job-rows.js';
