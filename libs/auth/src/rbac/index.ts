export * from './roles.js';
export * from './can.js';
export * from './access-matrix.js';
export * from './kernel-pattern.js';
export * from './gpu-grants.js';
