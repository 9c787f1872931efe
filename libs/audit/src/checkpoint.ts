import { sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { normaliseAt, normaliseChainSeq } from './audit-entry.js';
import type { KeyInput } from './ed25519-keys.js';
import { keyIdOf, loadEd25519PrivateKey, loadEd25519PublicKey } from './ed25519-keys.js';

export interface CheckpointBody {
  chain: string;
  chainSeq: number;
  hash: string;
  at: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  keyId: string;
  /** Ed25519 signature, base64. */
  signature: string;
}

export type CheckpointVerification =
  { ok: true } | { ok: false; reason: 'bad-signature' | 'unknown-key' | 'malformed'; detail: string };

// The prefix keeps a checkpoint signature from being valid for any other message signed
// with the same key.
const DOMAIN = 'voxelfleet/audit-checkpoint/v1\n';

function message(body: CheckpointBody): Buffer {
  const canonical = canonicalJson({
    chain: body.chain,
    chainSeq: normaliseChainSeq(body.chainSeq),
    hash: body.hash,
    at: normaliseAt(body.at),
  });
  return Buffer.from(DOMAIN + canonical, 'utf8');
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyInput): SignedCheckpoint {
  const key = loadEd25519PrivateKey(privateKey);
  if (!/^[0-9a-f]{64}$/.test(body.hash)) throw new TypeError('signCheckpoint: hash must be 64 hex digits');
  const signature = sign(null, message(body), key).toString('base64');
  return {
    chain: body.chain,
    chainSeq: normaliseChainSeq(body.chainSeq),
    hash: body.hash,
    at: normaliseAt(body.at),
    keyId: keyIdOf(key),
    signature,
  };
}

/**
 * Checks a checkpoint against one public key or several (old keys stay trusted after a
 * rotation); the checkpoint's keyId picks which.
 */
export function verifyCheckpoint(
  checkpoint: SignedCheckpoint,
  publicKeys: KeyInput | readonly KeyInput[],
): CheckpointVerification {
  const keys = (Array.isArray(publicKeys) ? publicKeys : [publicKeys]).map((k: KeyInput) =>
    loadEd25519PublicKey(k),
  );
  const key = keys.find((k) => keyIdOf(k) === checkpoint.keyId);
  if (key === undefined)
    return { ok: false, reason: 'unknown-key', detail: `no trusted key ${checkpoint.keyId}` };
  let body: Buffer;
  try {
    body = message(checkpoint);
  } catch (error) {
    return { ok: false, reason: 'malformed', detail: (error as Error).message };
  }
  const valid = verify(null, body, key, Buffer.from(checkpoint.signature, 'base64'));
  return valid ? { ok: true } : { ok: false, reason: 'bad-signature', detail: 'signature does not match' };
}
