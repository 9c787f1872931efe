import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `vf_<prefix>_<secret>`. The prefix is stored in clear to find the key's
 * row and to show in listings; only SHA-256 of the whole key is stored. A key carries 256
 * random bits, so a fast hash is enough: there is nothing to brute-force.
 */
const KEY_PATTERN = /^vf_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  key: string;
  prefix: string;
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(8).toString('hex').slice(0, 10);
  const secret = randomBytes(32).toString('base64url');
  const key = `vf_${prefix}_${secret}`;
  return { key, prefix, hash: hashApiKey(key) };
}

// crypto.hash is the one-shot form: the same digest without a Hash object per call, which
// matters because every authenticated request hashes the presented key.
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** The prefix of a well-formed key, or undefined for anything else. */
export function apiKeyPrefix(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/** Constant-time comparison of a presented key with a stored hash (hex, or its bytes). */
export function apiKeyMatches(key: string, storedHash: string | Buffer): boolean {
  const presented = hash('sha256', key, 'buffer');
  const stored = typeof storedHash === 'string' ? Buffer.from(storedHash, 'hex') : storedHash;
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
