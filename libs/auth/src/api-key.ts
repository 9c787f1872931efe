import { hash, randomBytes } from 'node:crypto';

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

/**
 * Whether a presented key hashes to a stored hash (hex, either case), in time that does not
 * depend on where the two differ. Compared as text: the hex digest is the one-shot hash's
 * cheap form, where asking it for a Buffer (for `timingSafeEqual`) costs about three times as
 * much, on every authenticated request.
 */
export function apiKeyMatches(key: string, storedHashHex: string): boolean {
  return constantTimeEqual(hashApiKey(key), storedHashHex.toLowerCase());
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
