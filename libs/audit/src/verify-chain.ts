import type { ChainLink } from './audit-chain.js';
import { recomputeHash } from './audit-chain.js';
import type { StoredAuditEntry } from './audit-entry.js';
import { GENESIS_HASH, assertValidEntry, normaliseAt, normaliseChainSeq } from './audit-entry.js';

export type ChainBreak =
  | 'hash-mismatch'
  | 'prev-hash-mismatch'
  | 'seq-gap'
  | 'seq-out-of-order'
  | 'chain-mismatch'
  | 'malformed'
  | 'checkpoint-mismatch'
  | 'truncated';

export type ChainVerification =
  | { ok: true; checked: number; head: ChainLink | null }
  | { ok: false; checked: number; firstBrokenSeq: number; reason: ChainBreak; detail: string };

/** A trusted (already signature-checked) statement that entry chainSeq had this hash. */
export interface CheckpointClaim {
  chain: string;
  chainSeq: number;
  hash: string;
}

export interface VerifyChainOptions {
  /**
   * The entry just before the first one given, when verifying a range that does not start at
   * chain_seq 1; without it the first entry's prevHash cannot be checked.
   */
  anchor?: ChainLink;
  /**
   * Checkpoints of this chain. One inside the range must match the entry's hash; one past the
   * last entry means rows were cut off the tail. When verifying a range that deliberately
   * stops early, pass only the checkpoints up to its end.
   */
  checkpoints?: readonly CheckpointClaim[];
}

/**
 * Walks one chain's entries in chain_seq order and reports the first broken link. An edited
 * row fails its own hash; a row edited and re-hashed, or a deleted row, breaks the next
 * row's link; rows cut off the tail, or a whole re-hashed suffix, only a checkpoint catches.
 */
export function verifyChain(
  entries: readonly StoredAuditEntry[],
  options: VerifyChainOptions = {},
): ChainVerification {
  const chain = entries[0]?.chain ?? options.checkpoints?.[0]?.chain;
  const checkpoints = new Map<number, CheckpointClaim>();
  for (const checkpoint of options.checkpoints ?? []) {
    if (checkpoint.chain !== chain) {
      throw new TypeError(
        `verifyChain: checkpoint for chain '${checkpoint.chain}' given with chain '${chain}'`,
      );
    }
    checkpoints.set(checkpoint.chainSeq, checkpoint);
  }

  let prev: ChainLink | null = options.anchor ?? null;
  let checked = 0;
  const broken = (firstBrokenSeq: number, reason: ChainBreak, detail: string): ChainVerification => ({
    ok: false,
    checked,
    firstBrokenSeq,
    reason,
    detail,
  });

  for (const entry of entries) {
    const expectedSeq = prev === null ? 1 : prev.chainSeq + 1;
    let seq: number;
    try {
      seq = normaliseChainSeq(entry.chainSeq);
      normaliseAt(entry.at);
      assertValidEntry(entry);
    } catch (error) {
      return broken(expectedSeq, 'malformed', (error as Error).message);
    }
    if (entry.chain !== chain) {
      return broken(seq, 'chain-mismatch', `entry ${seq} is in chain '${entry.chain}', expected '${chain}'`);
    }
    if (prev !== null && seq <= prev.chainSeq) {
      return broken(seq, 'seq-out-of-order', `entry ${seq} follows entry ${prev.chainSeq}`);
    }
    if (prev !== null && seq > expectedSeq) {
      return broken(expectedSeq, 'seq-gap', `entries ${expectedSeq}..${seq - 1} are missing`);
    }
    const expectedPrev = prev?.hash ?? (seq === 1 ? GENESIS_HASH : undefined);
    if (expectedPrev !== undefined && entry.prevHash !== expectedPrev) {
      return broken(seq, 'prev-hash-mismatch', `entry ${seq} does not link to the hash of entry ${seq - 1}`);
    }
    if (recomputeHash(entry) !== entry.hash) {
      return broken(seq, 'hash-mismatch', `entry ${seq} does not match its stored hash`);
    }
    const checkpoint = checkpoints.get(seq);
    if (checkpoint !== undefined && checkpoint.hash !== entry.hash) {
      return broken(seq, 'checkpoint-mismatch', `entry ${seq} differs from the signed checkpoint`);
    }
    prev = { chainSeq: seq, hash: entry.hash };
    checked += 1;
  }

  const lastSeq = prev?.chainSeq ?? 0;
  const beyond = [...checkpoints.keys()].filter((seq) => seq > lastSeq);
  if (beyond.length > 0) {
    return broken(
      lastSeq + 1,
      'truncated',
      `a checkpoint covers entry ${Math.max(...beyond)} but the chain ends at ${lastSeq}`,
    );
  }
  return { ok: true, checked, head: prev };
}
