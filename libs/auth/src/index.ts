export * from './api-key.js';
export * from './rbac/index.js';
export * from './nest/index.js';
export * from './rate-limit/request-limits.js';
export * from './session-standing.js';
