export * from './load-config.js';
export * from './fields.js';
export * from './common-schema.js';
