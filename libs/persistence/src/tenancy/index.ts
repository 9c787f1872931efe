export * from './tenant-policies.js';
export * from './gpu-grants.js';
export * from './node-controls.js';
export * from './kernel-registry.js';
export * from './active-jobs.js';
export * from './tenant-scope.js';
export * from './principals.js';
export * from './tenants.js';
