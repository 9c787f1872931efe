import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { keyIdOf, loadEd25519PrivateKey } from '../ed25519-keys.js';

export interface SigningKeyFromFile {
  key: KeyObject;
  keyId: string;
  /** True when this call made the key (the first start). */
  created: boolean;
}

/**
 * The audit signing key kept in a file: read when it exists, otherwise made (Ed25519) and
 * written with mode 0600, the way the first admin key is made on a first start. The key must
 * not live in the database it vouches for: whoever can rewrite the audit table could then sign
 * the rewrite too. Two processes starting at once agree: the file is created exclusively and
 * the loser reads the winner's key.
 */
export function loadOrCreateSigningKey(path: string): SigningKeyFromFile {
  const existing = readKey(path);
  if (existing !== null) return { key: existing, keyId: keyIdOf(existing), created: false };
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = readKey(path);
    if (raced === null) throw error;
    return { key: raced, keyId: keyIdOf(raced), created: false };
  }
  return { key: privateKey, keyId: keyIdOf(privateKey), created: true };
}

function readKey(path: string): KeyObject | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return loadEd25519PrivateKey(text, `audit signing key in ${path}`);
}
