import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import type { CheckpointBody } from './checkpoint.js';
import { signCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { AuditKeyError, keyIdOf, loadEd25519PrivateKey, loadEd25519PublicKey } from './ed25519-keys.js';

const pair = generateKeyPairSync('ed25519');
const privatePem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicPem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const privateDer64 = pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const publicDer64 = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

const body: CheckpointBody = {
  chain: 'platform',
  chainSeq: 120,
  hash: 'ab'.repeat(32),
  at: '2025-03-01T10:00:00Z',
};

describe('signed checkpoints', () => {
  it('verifies with the public key in PEM or base64 DER, and with the private key itself', () => {
    const signed = signCheckpoint(body, privatePem);
    expect(signed).toMatchObject({ ...body, at: '2025-03-01T10:00:00.000Z', keyId: keyIdOf(pair.publicKey) });
    for (const key of [publicPem, publicDer64, privatePem, pair.publicKey]) {
      expect(verifyCheckpoint(signed, key)).toEqual({ ok: true });
    }
  });

  it('signs the same with a base64 DER private key (Ed25519 is deterministic)', () => {
    expect(signCheckpoint(body, privateDer64).signature).toBe(signCheckpoint(body, privatePem).signature);
  });

  it.each([
    ['chainSeq', { chainSeq: 119 }],
    ['hash', { hash: 'cd'.repeat(32) }],
    ['chain', { chain: 'another' }],
    ['time', { at: '2025-03-01T10:00:01.000Z' }],
  ])('rejects a checkpoint whose %s was changed', (_field, change) => {
    const signed = signCheckpoint(body, privatePem);
    expect(verifyCheckpoint({ ...signed, ...change }, publicPem)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('picks the signing key among several and rejects an unknown one', () => {
    const other = generateKeyPairSync('ed25519');
    const signed = signCheckpoint(body, other.privateKey);
    expect(verifyCheckpoint(signed, [publicPem, other.publicKey])).toEqual({ ok: true });
    expect(verifyCheckpoint(signed, publicPem)).toMatchObject({ ok: false, reason: 'unknown-key' });
    const forged = { ...signCheckpoint(body, other.privateKey), keyId: keyIdOf(pair.publicKey) };
    expect(verifyCheckpoint(forged, publicPem)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('reports a malformed checkpoint instead of throwing', () => {
    const signed = signCheckpoint(body, privatePem);
    expect(verifyCheckpoint({ ...signed, at: 'soon' }, publicPem)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses to sign a hash that is not one', () => {
    expect(() => signCheckpoint({ ...body, hash: 'xyz' }, privatePem)).toThrow('64 hex digits');
  });
});

describe('key loading', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });

  it.each([
    ['an empty value', '', 'empty'],
    ['text that is neither PEM nor base64', 'not a key!', 'neither PEM nor base64 DER'],
    ['base64 that is not a key', Buffer.from('hello world').toString('base64'), 'not a DER PKCS#8 key'],
    ['a broken PEM', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', 'unreadable PEM'],
    ['a public key', publicPem, 'expected a private key'],
    [
      'an RSA key',
      rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      'expected an ed25519 key, got rsa',
    ],
  ])('refuses %s as a signing key with a clear error', (_name, input, message) => {
    expect(() => loadEd25519PrivateKey(input)).toThrow(AuditKeyError);
    expect(() => loadEd25519PrivateKey(input)).toThrow(message);
  });

  it('refuses an RSA public key for verification', () => {
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => loadEd25519PublicKey(pem)).toThrow('expected an ed25519 key, got rsa');
  });

  it('loads PEM from a Buffer and names the config value in errors', () => {
    expect(loadEd25519PrivateKey(Buffer.from(privatePem)).asymmetricKeyType).toBe('ed25519');
    expect(() => loadEd25519PrivateKey('???', 'AUDIT_SIGNING_KEY')).toThrow(/^AUDIT_SIGNING_KEY: /);
  });
});
