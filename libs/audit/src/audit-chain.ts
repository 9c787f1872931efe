import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditEntryInput, StoredAuditEntry } from './audit-entry.js';
import {
  AuditEntryError,
  GENESIS_HASH,
  assertValidEntry,
  normaliseAt,
  normaliseChainSeq,
} from './audit-entry.js';
import { scrubSecrets } from './secret-scrubber.js';
import { storedForm } from './stored-text.js';

/** An entry's own fields; `at` may be the Date a timestamptz column reads back as. */
export type EntryFields = Omit<AuditEntryInput, 'at'> & { at: string | Date };

export interface ChainLink {
  chainSeq: number;
  hash: string;
}

export interface ChainedFields {
  chainSeq: number;
  prevHash: string;
  hash: string;
}

/**
 * The exact object that is hashed. Listing the fields by hand (rather than hashing whatever
 * the caller passed) keeps row-only columns such as the global `seq` out of the hash, so an
 * entry verifies the same way whichever table or export it was read from. Its text is in
 * the form Postgres stores (stored-text.ts), so what is hashed is exactly what a row reads back.
 */
export function canonicalEntry(
  entry: Omit<AuditEntryInput, 'at'> & { at: string | Date },
  chainSeq: number,
): string {
  return canonicalJson(
    storedForm({
      chain: entry.chain,
      chainSeq,
      tenantId: entry.tenantId,
      at: normaliseAt(entry.at),
      actor: { id: entry.actor.id, type: entry.actor.type, roles: [...entry.actor.roles] },
      sourceIp: entry.sourceIp,
      requestId: entry.requestId,
      traceId: entry.traceId,
      action: entry.action,
      resource: { type: entry.resource.type, id: entry.resource.id },
      outcome: entry.outcome,
      reason: entry.reason,
      diff: entry.diff,
    }),
  );
}

export function entryHash(prevHash: string, canonical: string): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonical, 'utf8').digest('hex');
}

/**
 * Links a new entry after `prev` (null for the first entry of a chain). Refuses an entry
 * whose diff still holds something that looks like a secret: once hashed into the chain it
 * could never be removed without breaking verification.
 */
export function chainEntry(prev: ChainLink | null, input: EntryFields): ChainedFields {
  assertValidEntry(input);
  if (input.diff !== null && canonicalJson(scrubSecrets(input.diff)) !== canonicalJson(input.diff)) {
    throw new AuditEntryError(
      'audit entry: diff holds a secret; pass it through scrubSecrets or diffOf first',
    );
  }
  const chainSeq = prev === null ? 1 : normaliseChainSeq(prev.chainSeq) + 1;
  const prevHash = prev === null ? GENESIS_HASH : prev.hash;
  return { chainSeq, prevHash, hash: entryHash(prevHash, canonicalEntry(input, chainSeq)) };
}

/** Recomputes a stored entry's hash from its own fields and its stored prevHash. */
export function recomputeHash(entry: StoredAuditEntry): string {
  return entryHash(entry.prevHash, canonicalEntry(entry, normaliseChainSeq(entry.chainSeq)));
}
