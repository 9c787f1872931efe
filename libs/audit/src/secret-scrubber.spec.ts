import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { diffOf } from './audit-diff.js';
import { canonicalJson } from './canonical-json.js';
import { REDACTED, isSecretKey, scrubSecrets } from './secret-scrubber.js';

const SECRET_KEYS = [
  'key',
  'secret',
  'password',
  'token',
  'keyHash',
  'key_hash',
  'authorization',
  'Authorization',
  'apiKey',
  'x-api-key',
  'clientSecret',
  'accessToken',
  'refresh_token',
  'privateKey',
  'PASSWORD',
  'db.password',
  'credentials',
  'cookie',
];

// A marker no benign generated string can contain, so finding it in the output means a leak.
const secretValue = fc.string({ minLength: 1, maxLength: 12 }).map((s) => `S3CR3T:${s}`);

/** Arbitrary JSON with secret-keyed members planted at random depths. */
const withPlantedSecrets = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie('node'), { maxLength: 4 }),
    fc
      .tuple(
        fc.dictionary(
          fc.string().filter((k) => !isSecretKey(k)),
          tie('node'),
          { maxKeys: 4 },
        ),
        fc.array(
          fc.tuple(
            fc.constantFrom(...SECRET_KEYS),
            fc.oneof(secretValue, fc.dictionary(fc.string(), secretValue)),
          ),
          {
            maxLength: 2,
          },
        ),
      )
      .map(([plain, secrets]) => ({ ...plain, ...Object.fromEntries(secrets) })),
  ),
})).node;

describe('scrubSecrets', () => {
  it('never lets a value under a secret key through, at any depth', () => {
    fc.assert(
      fc.property(withPlantedSecrets, (value) => {
        expect(canonicalJson(scrubSecrets(value))).not.toContain('S3CR3T');
      }),
      { numRuns: 300 },
    );
  });

  it('never lets a secret into a diff, even one that changed', () => {
    const record = withPlantedSecrets.filter(
      (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
    );
    fc.assert(
      fc.property(record, record, (before, after) => {
        expect(canonicalJson(diffOf(before, after))).not.toContain('S3CR3T');
      }),
      { numRuns: 200 },
    );
  });

  it('leaves data without secrets unchanged', () => {
    const plain = fc.jsonValue().filter((v) => !JSON.stringify(v).match(/vf_|bearer|PRIVATE KEY/i));
    fc.assert(
      fc.property(plain, (value) => {
        // Keys that happen to look secret are expected to go; compare only when none do.
        fc.pre(
          !JSON.stringify(value)
            .split('"')
            .some((part) => part !== '' && isSecretKey(part)),
        );
        expect(canonicalJson(scrubSecrets(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 200 },
    );
  });

  it('redacts rather than drops, so a diff still shows a rotation', () => {
    expect(scrubSecrets({ label: 'ci', keyHash: 'abc', nested: [{ password: 'p' }] })).toEqual({
      label: 'ci',
      keyHash: REDACTED,
      nested: [{ password: REDACTED }],
    });
  });

  it('keeps names that only contain a secret word', () => {
    const value = { keyPrefix: 'ab12', keyId: 'k1', tokenCount: 3, passive: true, monkey: 'banana' };
    expect(scrubSecrets(value)).toEqual(value);
  });

  it('redacts credentials found under innocent keys', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const value = {
      note: 'vf_a1b2c3d4e5_0123456789abcdefghijABCDEFGHIJ-_xyzXYZ0123456',
      header: 'Bearer eyJhbGciOi.payload.sig',
      config: pem,
      list: ['fine', 'bearer abcdefghijkl'],
    };
    expect(scrubSecrets(value)).toEqual({
      note: REDACTED,
      header: REDACTED,
      config: REDACTED,
      list: ['fine', REDACTED],
    });
  });

  it('does not change its input and turns Dates into ISO strings', () => {
    const input = { token: 't', when: new Date(Date.UTC(2025, 0, 1)), gone: undefined };
    expect(scrubSecrets(input)).toEqual({ token: REDACTED, when: '2025-01-01T00:00:00.000Z' });
    expect(input.token).toBe('t');
  });

  it('keeps a member named __proto__ as data rather than a prototype', () => {
    const scrubbed = scrubSecrets(JSON.parse('{"__proto__": {"token": "t"}}'));
    expect(Object.keys(scrubbed as object)).toEqual(['__proto__']);
    expect(canonicalJson(scrubbed)).toBe(`{"__proto__":{"token":"${REDACTED}"}}`);
  });

  it('refuses values that cannot be logged', () => {
    expect(() => scrubSecrets({ f: () => 1 })).toThrow('function');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => scrubSecrets(loop)).toThrow('cycle');
  });
});
