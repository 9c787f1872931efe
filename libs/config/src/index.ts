export * from './load-config.js';
export * from './fields.js';
export * from './common-schema.js';
export * from './scheduling-schema.js';
