export * from './api-key.js';
export * from './rbac/index.js';
export * from './nest/index.js';
