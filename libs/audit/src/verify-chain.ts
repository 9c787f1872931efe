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

/** One broken link: the entry (chain_seq) where the chain stops holding, and why. */
export interface LinkBreak {
  seq: number;
  reason: ChainBreak;
  detail: string;
}

/**
 * At most this many breaks are listed (`brokenLinks` still counts them all), so a chain
 * rewritten wholesale cannot make the report as large as the chain.
 */
export const MAX_LISTED_BREAKS = 1_000;

export type ChainVerification =
  | { ok: true; checked: number; head: ChainLink | null }
  | {
      ok: false;
      checked: number;
      /** The first break (kept for readers that show one line). */
      firstBrokenSeq: number;
      reason: ChainBreak;
      detail: string;
      /** Every break found, in chain order (the first MAX_LISTED_BREAKS). */
      breaks: LinkBreak[];
      brokenLinks: number;
      /** The last entry walked, broken or not: where a following page continues. */
      head: ChainLink | null;
    };

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
 * Walks one chain's entries in chain_seq order and reports every broken link, not only the
 * first: after a break the walk goes on from the stored row, so one bad entry (say, text
 * stored other than it was hashed) cannot hide a later, real edit. An edited row fails its
 * own hash; a row edited and re-hashed, or a deleted row, breaks the next row's link; rows
 * cut off the tail, or a whole re-hashed suffix, only a checkpoint catches.
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
  const breaks: LinkBreak[] = [];
  let brokenLinks = 0;
  const broken = (seq: number, reason: ChainBreak, detail: string) => {
    brokenLinks += 1;
    if (breaks.length < MAX_LISTED_BREAKS) breaks.push({ seq, reason, detail });
  };

  for (const entry of entries) {
    const expectedSeq = prev === null ? 1 : prev.chainSeq + 1;
    let seq: number;
    try {
      seq = normaliseChainSeq(entry.chainSeq);
    } catch (error) {
      broken(expectedSeq, 'malformed', (error as Error).message);
      continue;
    }
    if (entry.chain !== chain) {
      broken(seq, 'chain-mismatch', `entry ${seq} is in chain '${entry.chain}', expected '${chain}'`);
      continue;
    }
    if (prev !== null && seq <= prev.chainSeq) {
      broken(seq, 'seq-out-of-order', `entry ${seq} follows entry ${prev.chainSeq}`);
      continue;
    }
    checked += 1;
    const link: ChainLink = { chainSeq: seq, hash: entry.hash };
    try {
      normaliseAt(entry.at);
      assertValidEntry(entry);
    } catch (error) {
      broken(seq, 'malformed', (error as Error).message);
      prev = link;
      continue;
    }
    const gap = prev !== null && seq > expectedSeq;
    if (gap) broken(expectedSeq, 'seq-gap', `entries ${expectedSeq}..${seq - 1} are missing`);
    // After a gap the missing entry's hash is unknown, so this row's link cannot be judged.
    const expectedPrev = gap ? undefined : (prev?.hash ?? (seq === 1 ? GENESIS_HASH : undefined));
    if (expectedPrev !== undefined && entry.prevHash !== expectedPrev) {
      broken(seq, 'prev-hash-mismatch', `entry ${seq} does not link to the hash of entry ${seq - 1}`);
    }
    if (recomputeHash(entry) !== entry.hash) {
      broken(seq, 'hash-mismatch', `entry ${seq} does not match its stored hash`);
    }
    const checkpoint = checkpoints.get(seq);
    if (checkpoint !== undefined && checkpoint.hash !== entry.hash) {
      broken(seq, 'checkpoint-mismatch', `entry ${seq} differs from the signed checkpoint`);
    }
    prev = link;
  }

  const lastSeq = prev?.chainSeq ?? 0;
  const beyond = [...checkpoints.keys()].filter((seq) => seq > lastSeq);
  if (beyond.length > 0) {
    broken(
      lastSeq + 1,
      'truncated',
      `a checkpoint covers entry ${Math.max(...beyond)} but the chain ends at ${lastSeq}`,
    );
  }
  const first = breaks[0];
  if (first === undefined) return { ok: true, checked, head: prev };
  return {
    ok: false,
    checked,
    firstBrokenSeq: first.seq,
    reason: first.reason,
    detail: first.detail,
    breaks,
    brokenLinks,
    head: prev,
  };
}
