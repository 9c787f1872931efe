import type { EntityManager } from 'typeorm';
import type { KeyInput } from '../ed25519-keys.js';
import { verifyCheckpoint, type SignedCheckpoint } from '../checkpoint.js';
import type { ChainLink } from '../audit-chain.js';
import type { ChainVerification, CheckpointClaim, LinkBreak } from '../verify-chain.js';
import { MAX_LISTED_BREAKS, verifyChain } from '../verify-chain.js';
import { listChainHeads, loadChainRange, loadCheckpoints } from './audit-store.js';

export interface ChainReport {
  chain: string;
  fromSeq: number;
  toSeq: number;
  result: ChainVerification;
  /** Checkpoints whose signature did not verify with the trusted keys (they are not used). */
  badCheckpoints: number[];
}

// Large chains are verified in pages so memory stays flat.
const PAGE = 5_000;

/**
 * Recomputes one chain (or a range of it) from the rows, checked against the signed
 * checkpoints, and reports every broken link (the first one first). Without `toSeq` it
 * verifies up to the last checkpoint or head, whichever is later, so rows cut off the tail
 * are caught too.
 */
export async function verifyStoredChain(
  manager: EntityManager,
  chain: string,
  options: {
    fromSeq?: number;
    toSeq?: number;
    trustedKeys?: readonly KeyInput[];
    /** Checkpoints kept outside the database (a CheckpointJournal), checked like stored ones. */
    extraCheckpoints?: readonly SignedCheckpoint[];
  } = {},
): Promise<ChainReport> {
  const fromSeq = Math.max(1, options.fromSeq ?? 1);
  const [stored] = await listChainHeads(manager, chain);
  const signed = [
    ...(await loadCheckpoints(manager, chain)),
    ...(options.extraCheckpoints ?? []).filter((c) => c.chain === chain),
  ];
  const keys = options.trustedKeys ?? [];
  const badCheckpoints: number[] = [];
  const claims: CheckpointClaim[] = [];
  for (const checkpoint of signed) {
    if (keys.length > 0 && verifyCheckpoint(checkpoint, keys).ok) claims.push(checkpoint);
    else if (keys.length > 0) badCheckpoints.push(checkpoint.chainSeq);
  }
  const lastClaim = Math.max(0, ...claims.map((c) => c.chainSeq));
  // Nothing is stored past the head or the last trusted checkpoint, so a `to` beyond both
  // checks nothing more; clamped, it cannot make the loop below walk billions of empty pages.
  const storedUpTo = Math.max(stored?.chainSeq ?? 0, lastClaim);
  const toSeq = Math.min(options.toSeq ?? storedUpTo, Math.max(storedUpTo, fromSeq));
  let anchor: { chainSeq: number; hash: string } | undefined;
  if (fromSeq > 1) {
    const [previous] = await loadChainRange(manager, chain, fromSeq - 1, fromSeq - 1);
    if (previous) anchor = { chainSeq: Number(previous.chainSeq), hash: previous.hash };
  }
  const inRange = claims.filter((c) => c.chainSeq >= fromSeq && c.chainSeq <= toSeq);
  let checked = 0;
  let head: ChainLink | null = anchor ?? null;
  const breaks: LinkBreak[] = [];
  let brokenLinks = 0;
  if (fromSeq > 1 && anchor === undefined) {
    brokenLinks += 1;
    breaks.push({
      seq: fromSeq - 1,
      reason: 'seq-gap',
      detail: `entry ${fromSeq - 1} before the range is missing`,
    });
  }
  for (let start = fromSeq; start <= toSeq; start += PAGE) {
    const end = Math.min(toSeq, start + PAGE - 1);
    const rows = await loadChainRange(manager, chain, start, end);
    const last = end === toSeq;
    // Each page is checked against the checkpoints it covers; the last also catches truncation.
    const pageClaims = inRange.filter((c) => c.chainSeq >= start && (last || c.chainSeq <= end));
    if (rows.length === 0 && !last) continue;
    // A page goes on from the last row of the one before, broken or not: every break is reported.
    const page = verifyChain(rows, { anchor: head ?? undefined, checkpoints: pageClaims });
    checked += page.checked;
    head = page.head;
    if (!page.ok) {
      brokenLinks += page.brokenLinks;
      breaks.push(...page.breaks.slice(0, MAX_LISTED_BREAKS - breaks.length));
    }
  }
  const first = breaks[0];
  const result: ChainVerification =
    first === undefined
      ? { ok: true, checked, head }
      : {
          ok: false,
          checked,
          firstBrokenSeq: first.seq,
          reason: first.reason,
          detail: first.detail,
          breaks,
          brokenLinks,
          head,
        };
  return { chain, fromSeq, toSeq, result, badCheckpoints };
}
