export * from './logger.js';
export * from './nest-logger.js';
export * from './metrics.js';
export * from './tracing.js';
export * from './runbooks/index.js';
