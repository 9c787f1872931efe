export * from './audit-writer.js';
export * from './audit-store.js';
export * from './audit-verifier.js';
export * from './audit-checkpointer.js';
