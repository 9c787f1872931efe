import type { KeyObject } from 'node:crypto';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyError';
  }
}

export type KeyInput = string | Buffer | KeyObject;

/** Ed25519 private key from PEM (PKCS#8) or base64 DER (PKCS#8), as config usually holds it. */
export function loadEd25519PrivateKey(input: KeyInput, what = 'audit signing key'): KeyObject {
  const key = isKeyObject(input) ? input : parse(input, 'private', what);
  if (key.type !== 'private')
    throw new AuditKeyError(`${what}: expected a private key, got a ${key.type} key`);
  return assertEd25519(key, what);
}

/**
 * Ed25519 public key from PEM (SPKI) or base64 DER (SPKI). A private key is accepted too and
 * its public half used, so one config value can serve both signing and verifying.
 */
export function loadEd25519PublicKey(input: KeyInput, what = 'audit verification key'): KeyObject {
  const key = isKeyObject(input) ? input : parse(input, 'public', what);
  return assertEd25519(key.type === 'private' ? createPublicKey(key) : key, what);
}

/** Short stable name for a public key, so a checkpoint says which key signed it. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

function isKeyObject(input: KeyInput): input is KeyObject {
  return typeof input === 'object' && !Buffer.isBuffer(input);
}

function parse(input: string | Buffer, kind: 'private' | 'public', what: string): KeyObject {
  const text = Buffer.isBuffer(input) ? input.toString('utf8') : input;
  const trimmed = text.trim();
  if (trimmed === '') throw new AuditKeyError(`${what}: empty`);
  if (kind === 'private' && /^-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(trimmed)) {
    throw new AuditKeyError(`${what}: expected a private key, got a public key`);
  }
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      return kind === 'private' ? createPrivateKey(trimmed) : createPublicKey(trimmed);
    }
  } catch (error) {
    throw new AuditKeyError(`${what}: unreadable PEM (${(error as Error).message})`);
  }
  if (!/^[A-Za-z0-9+/=_-]+$/.test(trimmed.replace(/\s+/g, ''))) {
    throw new AuditKeyError(`${what}: neither PEM nor base64 DER`);
  }
  const der = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64');
  try {
    if (kind === 'private') return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    // A base64 private key given where a public one is wanted still works (see above).
    try {
      return createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    }
  } catch {
    if (kind === 'private' && isSpki(der))
      throw new AuditKeyError(`${what}: expected a private key, got a public key`);
    const form = kind === 'private' ? 'PKCS#8' : 'SPKI';
    throw new AuditKeyError(`${what}: base64 text is not a DER ${form} key`);
  }
}

function isSpki(der: Buffer): boolean {
  try {
    createPublicKey({ key: der, format: 'der', type: 'spki' });
    return true;
  } catch {
    return false;
  }
}

function assertEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AuditKeyError(`${what}: expected an ed25519 key, got ${key.asymmetricKeyType ?? key.type}`);
  }
  return key;
}
