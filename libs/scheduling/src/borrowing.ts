import { compareStrings } from './ordering.js';
import { effectiveLimit } from './quota.js';
import type { BorrowableQuota, FleetSnapshot, JobSpec, TenantSnapshot } from './snapshot.types.js';
import { formatBytes } from './units.js';

/**
 * Borrowing between tenants (Kueue's cohorts): the members of a cohort lend each other the
 * part of their own quota they do not use. A member may go beyond its own limit by at most its
 * borrowing limit, and only while the cohort as a whole stays within the sum of its members'
 * limits. Work admitted that way is marked borrowed, and a lender whose own job (within its own
 * quota) finds no room preempts borrowed work first. Fair share is untouched: ordering still
 * goes by each tenant's decayed usage.
 */
export const BORROWABLE_QUOTAS: readonly BorrowableQuota[] = ['vramBytesTotal', 'gpus', 'concurrentJobs'];

export function isBorrowable(quota: string): quota is BorrowableQuota {
  return (BORROWABLE_QUOTAS as readonly string[]).includes(quota);
}

export interface Loan {
  readonly tenantId: string;
  readonly amount: number;
}

/** What a job takes beyond its tenant's own limit of one quota, and whose unused quota it is. */
export interface Borrowing {
  readonly quota: BorrowableQuota;
  readonly amount: number;
  readonly cohort: string;
  readonly from: readonly Loan[];
}

export type BorrowingPlan =
  | { readonly ok: true; readonly borrowing: Borrowing | null }
  | { readonly ok: false; readonly detail: string };

/** The tenant's cohort, itself included, in id order; just the tenant when it has none. */
export function cohortMembers(tenant: TenantSnapshot, tenants: readonly TenantSnapshot[]): TenantSnapshot[] {
  if (tenant.cohort === undefined) return [tenant];
  return tenants
    .filter((t) => t.id === tenant.id || t.cohort === tenant.cohort)
    .sort((a, b) => compareStrings(a.id, b.id));
}

export function usedOf(tenant: TenantSnapshot, quota: BorrowableQuota): number {
  if (quota === 'vramBytesTotal') return tenant.usage.vramBytes;
  if (quota === 'gpus') return tenant.usage.gpus;
  return tenant.usage.runningJobs;
}

export function borrowingLimitOf(tenant: TenantSnapshot, quota: BorrowableQuota): number {
  return tenant.cohort === undefined ? 0 : (tenant.borrowingLimit?.[quota] ?? 0);
}

interface Ledger {
  readonly own: number;
  readonly used: number;
  readonly borrowed: number;
  readonly lent: number;
}

/**
 * Who borrows and who lends, per member: what members use beyond their own limits is lent by
 * the members with unused quota, in id order, so every reader attributes loans the same way.
 */
function ledger(members: readonly TenantSnapshot[], quota: BorrowableQuota): Map<string, Ledger> {
  const rows = members.map((t) => {
    const own = effectiveLimit(t, quota).limit;
    const used = usedOf(t, quota);
    return { id: t.id, own, used, borrowed: Math.max(0, used - own) };
  });
  let owed = rows.reduce((sum, r) => sum + r.borrowed, 0);
  const out = new Map<string, Ledger>();
  for (const row of rows) {
    const lent = Math.min(Math.max(0, row.own - row.used), owed);
    owed -= lent;
    out.set(row.id, { own: row.own, used: row.used, borrowed: row.borrowed, lent });
  }
  return out;
}

/**
 * Whether `requested` more of `quota` fits the tenant, borrowing if it must: null borrowing
 * when its own limit suffices, a refusal naming what is missing when even borrowing does not.
 */
export function planBorrowing(
  tenant: TenantSnapshot,
  members: readonly TenantSnapshot[],
  quota: BorrowableQuota,
  requested: number,
): BorrowingPlan {
  const own = effectiveLimit(tenant, quota).limit;
  const used = usedOf(tenant, quota);
  const over = used + requested - own;
  if (requested <= 0 || over <= 0) return { ok: true, borrowing: null };
  const limit = borrowingLimitOf(tenant, quota);
  const cohort = tenant.cohort;
  if (cohort === undefined || limit === 0) return { ok: false, detail: 'no borrowing (no cohort or limit)' };

  const borrowedBefore = Math.max(0, used - own);
  const amount = over - borrowedBefore;
  // What the other members leave unused, less what they already lend each other and what
  // their own queued jobs claim: all the
  // tenant is over its own limit (the new amount and what it borrowed before) must fit there,
  // which keeps the cohort within the sum of its members' limits.
  const others = members.filter((t) => t.id !== tenant.id);
  const books = ledger(others, quota);
  const spare = others.map((t) => {
    const row = books.get(t.id) as Ledger;
    const claimed = t.claimed?.[quota] ?? 0;
    return { tenantId: t.id, free: Math.max(0, row.own - row.used - row.lent - claimed) };
  });
  const available = spare.reduce((sum, s) => sum + s.free, 0);
  if (over > limit || over > available) {
    return {
      ok: false,
      detail: `cohort ${cohort} can lend ${show(quota, Math.max(0, available - borrowedBefore))} (borrowing limit ${show(quota, limit)}, ${show(quota, borrowedBefore)} borrowed)`,
    };
  }
  const from: Loan[] = [];
  let left = amount;
  for (const s of spare) {
    if (left <= 0) break;
    const take = Math.min(s.free, left);
    if (take > 0) from.push({ tenantId: s.tenantId, amount: take });
    left -= take;
  }
  return { ok: true, borrowing: { quota, amount, cohort, from } };
}

export interface CohortLine {
  readonly quota: BorrowableQuota;
  /** The tenant's own limit. */
  readonly own: number;
  readonly used: number;
  /** Used beyond its own limit, on quota other members lend. */
  readonly borrowed: number;
  /** Its unused own quota that other members are using now. */
  readonly lent: number;
  readonly borrowingLimit: number;
}

export interface CohortReport {
  readonly cohort: string | null;
  readonly quotas: readonly CohortLine[];
}

/** Own, used, borrowed and lent for each borrowable quota, as `GET /v1/quota` shows it. */
export function cohortReport(tenant: TenantSnapshot, members: readonly TenantSnapshot[]): CohortReport {
  const inCohort = tenant.cohort === undefined ? [tenant] : members;
  return {
    cohort: tenant.cohort ?? null,
    quotas: BORROWABLE_QUOTAS.map((quota) => {
      const row = ledger(inCohort, quota).get(tenant.id) as Ledger;
      return {
        quota,
        own: row.own,
        used: row.used,
        borrowed: row.borrowed,
        lent: row.lent,
        borrowingLimit: borrowingLimitOf(tenant, quota),
      };
    }),
  };
}

/**
 * Running work a job may reclaim: borrowed work of the other members of its tenant's cohort.
 * Only a job that borrows nothing itself reclaims, so two borrowers never trade places.
 */
export function reclaimableJobs(
  job: JobSpec,
  snapshot: Pick<FleetSnapshot, 'tenants' | 'running'>,
  jobBorrows: boolean,
): ReadonlySet<string> {
  const tenant = snapshot.tenants.find((t) => t.id === job.tenantId);
  if (jobBorrows || tenant?.cohort === undefined) return EMPTY;
  const peers = new Set(
    snapshot.tenants.filter((t) => t.cohort === tenant.cohort && t.id !== tenant.id).map((t) => t.id),
  );
  const ids = snapshot.running
    .filter((r) => r.borrowed === true && r.stopping !== true && peers.has(r.tenantId))
    .map((r) => r.jobId);
  return ids.length === 0 ? EMPTY : new Set(ids);
}

const EMPTY: ReadonlySet<string> = new Set();

/** What a job asks of each borrowable quota. */
export function borrowableDemand(
  job: Pick<JobSpec, 'vramBytesPerDevice' | 'gpus'>,
): Record<BorrowableQuota, number> {
  return { vramBytesTotal: job.vramBytesPerDevice * job.gpus, gpus: job.gpus, concurrentJobs: 1 };
}

/**
 * The tenants with `claimed` set from a pass's queue: what each cohort member's queued jobs
 * ask. Tenants outside cohorts are left as they are (nobody borrows from them). False when
 * no tenant is in a cohort, so a pass can skip `releaseQueueClaim`.
 */
export function withQueueClaims(
  tenants: TenantSnapshot[],
  queue: readonly Pick<JobSpec, 'tenantId' | 'vramBytesPerDevice' | 'gpus'>[],
): boolean {
  const inCohort = new Map<string, number>();
  tenants.forEach((t, i) => {
    if (t.cohort !== undefined) inCohort.set(t.id, i);
  });
  if (inCohort.size === 0) return false;
  const claims = new Map<string, Record<BorrowableQuota, number>>();
  for (const job of queue) {
    if (!inCohort.has(job.tenantId)) continue;
    const sum = claims.get(job.tenantId) ?? { vramBytesTotal: 0, gpus: 0, concurrentJobs: 0 };
    const demand = borrowableDemand(job);
    for (const quota of BORROWABLE_QUOTAS) sum[quota] += demand[quota];
    claims.set(job.tenantId, sum);
  }
  for (const [tenantId, claimed] of claims) {
    const i = inCohort.get(tenantId) as number;
    tenants[i] = { ...(tenants[i] as TenantSnapshot), claimed };
  }
  return true;
}

/** A decided job (placed or refused) no longer claims its tenant's quota. */
export function releaseQueueClaim(
  tenants: TenantSnapshot[],
  job: Pick<JobSpec, 'tenantId' | 'vramBytesPerDevice' | 'gpus'>,
): void {
  const i = tenants.findIndex((t) => t.id === job.tenantId);
  const tenant = tenants[i];
  if (!tenant?.claimed) return;
  const demand = borrowableDemand(job);
  const claimed: Partial<Record<BorrowableQuota, number>> = {};
  for (const quota of BORROWABLE_QUOTAS)
    claimed[quota] = Math.max(0, (tenant.claimed[quota] ?? 0) - demand[quota]);
  tenants[i] = { ...tenant, claimed };
}

/** How a decision's reason names what a job borrows. */
export function describeBorrowing(borrowing: readonly Borrowing[]): string {
  return borrowing
    .map(
      (b) =>
        `borrows ${b.quota} ${show(b.quota, b.amount)} from cohort ${b.cohort} (${b.from
          .map((l) => `${l.tenantId} ${show(b.quota, l.amount)}`)
          .join(', ')})`,
    )
    .join('; ');
}

function show(quota: BorrowableQuota, value: number): string {
  return quota === 'vramBytesTotal' ? formatBytes(value) : String(value);
}
