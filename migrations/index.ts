import { IdentityAndAudit1763700000000 } from './1763700000000-identity-and-audit.js';

/** Every migration, oldest first. Classes, not globs: the build is ESM and bundler-friendly. */
export const MIGRATIONS = [IdentityAndAudit1763700000000];
