import type { JsonValue } from './canonical-json.js';

export const REDACTED = '[redacted]';

/**
 * Key names (lower-cased, separators removed) whose values are never written to the audit
 * log. Matching is by whole name or by suffix, so `clientSecret`, `x-api-key` and
 * `refresh_token` are caught while `keyPrefix` or `tokenCount` stay readable.
 */
const SECRET_NAMES = new Set(['key', 'pass', 'passwd', 'pwd', 'authorization', 'cookie', 'setcookie']);
const SECRET_SUFFIXES = [
  'secret',
  'secrets',
  'password',
  'passwords',
  'passphrase',
  'token',
  'tokens',
  'keyhash',
  'apikey',
  'apikeys',
  'privatekey',
  'credential',
  'credentials',
  'signingkey',
  'sessionid',
];

/**
 * Values that are secrets whatever key they sit under: Voxelfleet API keys, bearer
 * credentials and PEM private keys. A secret pasted into a free-text field is still a secret.
 */
const SECRET_VALUES = [
  /vf_[a-z0-9]{10}_[A-Za-z0-9_-]{20,}/,
  /\bbearer\s+\S{8,}/i,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

export function isSecretKey(key: string): boolean {
  let secret = keyVerdicts.get(key);
  if (secret === undefined) {
    const name = key.toLowerCase().replace(/[^a-z0-9]/g, '');
    secret = SECRET_NAMES.has(name) || SECRET_SUFFIXES.some((suffix) => name.endsWith(suffix));
    if (keyVerdicts.size < MAX_KEY_VERDICTS) keyVerdicts.set(key, secret);
  }
  return secret;
}

/**
 * Verdicts for the keys seen so far: an entry listing a thousand placements asks about the
 * same few keys a thousand times. Bounded, as keys of user-supplied values are unbounded.
 */
const keyVerdicts = new Map<string, boolean>();
const MAX_KEY_VERDICTS = 4_096;

export function looksLikeSecret(value: string): boolean {
  return SECRET_VALUES.some((pattern) => pattern.test(value));
}

/**
 * A copy of `value` safe for the audit log: members under secret-looking keys and strings
 * that look like credentials become REDACTED (so a diff still shows that a key rotated),
 * Dates become ISO strings, undefined members are dropped. The input is not changed.
 */
export function scrubSecrets(value: unknown): JsonValue {
  return scrub(value, true, new Set());
}

/** The same conversion without redaction, for comparing values before they are scrubbed. */
export function toJsonValue(value: unknown): JsonValue {
  return scrub(value, false, new Set());
}

function scrub(value: unknown, redact: boolean, seen: Set<object>): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return redact && looksLikeSecret(value) ? REDACTED : value;
  if (typeof value !== 'object') {
    throw new TypeError(`audit value: a ${typeof value} cannot go into the audit log`);
  }
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) throw new TypeError('audit value: cycle');
  seen.add(value);
  let out: JsonValue;
  if (Array.isArray(value)) {
    out = value.map((item: unknown) => (item === undefined ? null : scrub(item, redact, seen)));
  } else {
    const members: [string, JsonValue][] = [];
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      if (member === undefined) continue;
      members.push([key, redact && isSecretKey(key) ? REDACTED : scrub(member, redact, seen)]);
    }
    // fromEntries defines own members, so a key named __proto__ stays data, not a prototype.
    out = Object.fromEntries(members);
  }
  seen.delete(value);
  return out;
}
