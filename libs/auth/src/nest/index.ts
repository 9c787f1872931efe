export * from './authenticated-principal.js';
export * from './api-key-authenticator.js';
export * from './auth.decorators.js';
export * from './auth.guard.js';
export * from './auth.options.js';
export * from './auth.module.js';
export * from './access-control.js';
export * from './request-context.js';
