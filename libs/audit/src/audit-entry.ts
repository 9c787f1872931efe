import type { JsonObject } from './canonical-json.js';

/** The chain of entries that belong to no tenant. */
export const PLATFORM_CHAIN = 'platform';

/** prevHash of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'allowed' | 'denied' | 'succeeded' | 'failed';

export interface AuditActor {
  id: string | null;
  type: string;
  roles: readonly string[];
}

export interface AuditEntryInput {
  /** Tenant id, or PLATFORM_CHAIN when tenantId is null (see chainFor). */
  chain: string;
  tenantId: string | null;
  /** UTC, `YYYY-MM-DDTHH:mm:ss[.sss]Z`; stored and hashed with milliseconds. */
  at: string;
  actor: AuditActor;
  sourceIp: string | null;
  requestId: string | null;
  traceId: string | null;
  action: string;
  resource: { type: string; id: string | null };
  outcome: AuditOutcome;
  reason: string | null;
  /** Before/after of what changed; must already be scrubbed of secrets (see scrubSecrets). */
  diff: JsonObject | null;
}

/** An entry as read back: timestamptz comes back as a Date and bigint as a string. */
export interface StoredAuditEntry extends Omit<AuditEntryInput, 'at'> {
  at: string | Date;
  chainSeq: number | string | bigint;
  prevHash: string;
  hash: string;
}

export class AuditEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditEntryError';
  }
}

const OUTCOMES: ReadonlySet<string> = new Set<AuditOutcome>(['allowed', 'denied', 'succeeded', 'failed']);

// More than three fractional digits would not survive a trip through a JavaScript Date.
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function chainFor(tenantId: string | null): string {
  return tenantId ?? PLATFORM_CHAIN;
}

/** One spelling of a timestamp, whether it was written as a string or read back as a Date. */
export function normaliseAt(at: string | Date): string {
  if (at instanceof Date) {
    if (Number.isNaN(at.getTime())) throw new AuditEntryError('audit entry: at is an invalid Date');
    return at.toISOString();
  }
  const millis = UTC_ISO.test(at) ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new AuditEntryError(
      `audit entry: at must be an ISO-8601 UTC time like 2025-01-31T12:00:00.000Z, got '${at}'`,
    );
  }
  return new Date(millis).toISOString();
}

/** chain_seq is a bigint column; a value past 2^53 would hash differently once read back. */
export function normaliseChainSeq(chainSeq: number | string | bigint): number {
  const n = typeof chainSeq === 'number' ? chainSeq : Number(chainSeq);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new AuditEntryError(
      `audit entry: chainSeq must be a positive safe integer, got ${String(chainSeq)}`,
    );
  }
  return n;
}

/** Checks the invariants the chain relies on; throws AuditEntryError naming the field. */
export function assertValidEntry(input: Omit<AuditEntryInput, 'at'>): void {
  if (input.chain !== chainFor(input.tenantId)) {
    throw new AuditEntryError(
      `audit entry: chain '${input.chain}' does not match tenant ${input.tenantId ?? 'null'} (expected '${chainFor(input.tenantId)}')`,
    );
  }
  if (!OUTCOMES.has(input.outcome))
    throw new AuditEntryError(`audit entry: unknown outcome '${input.outcome}'`);
  if (input.action === '') throw new AuditEntryError('audit entry: action is empty');
  if (input.resource.type === '') throw new AuditEntryError('audit entry: resource.type is empty');
  if (input.actor.type === '') throw new AuditEntryError('audit entry: actor.type is empty');
}
