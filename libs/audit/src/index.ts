export * from './canonical-json.js';
export * from './audit-entry.js';
export * from './audit-chain.js';
export * from './verify-chain.js';
export * from './secret-scrubber.js';
export * from './audit-diff.js';
export * from './ed25519-keys.js';
export * from './checkpoint.js';
