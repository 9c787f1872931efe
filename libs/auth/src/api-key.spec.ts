import { describe, expect, it } from '@jest/globals';
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from '@voxelfleet/auth';

describe('API keys', () => {
  it('generates distinct, well-formed keys whose prefix can be read back', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(apiKeyPrefix(a.key)).toBe(a.prefix);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(14));
  });

  it('matches only the key that was hashed', () => {
    const { key, hash } = generateApiKey();
    expect(apiKeyMatches(key, hash)).toBe(true);
    expect(apiKeyMatches(`${key.slice(0, -1)}x`, hash)).toBe(false);
    expect(apiKeyMatches(key, 'abcd')).toBe(false);
    expect(apiKeyMatches(key, `${hash}00`)).toBe(false);
  });

  it('reads a stored hash in either case, as hex is', () => {
    const { key, hash } = generateApiKey();
    expect(apiKeyMatches(key, hash.toUpperCase())).toBe(true);
    expect(apiKeyMatches(`${key.slice(0, -1)}x`, hash.toUpperCase())).toBe(false);
  });

  it('rejects malformed keys', () => {
    expect(apiKeyPrefix('vf_short_x')).toBeUndefined();
    expect(apiKeyPrefix('Bearer something')).toBeUndefined();
  });
});
