import { DEFAULT_FAIR_SHARE_HALF_LIFE_MS, fairShareKey } from './fair-share.js';
import { effectivePriorityRank } from './priority.js';
import { seededUnit } from './seeded-random.js';
import type { JobSpec, TenantSnapshot } from './snapshot.types.js';

export interface OrderingContext {
  readonly seed: number | string;
  /** Tenant id → fair-share key (lower is served first); tenants missing here count as 0. */
  readonly fairShare: ReadonlyMap<string, number>;
}

/**
 * Fair-share keys are computed once per ordering pass from the same `nowMs`, so the
 * comparator sees fixed numbers and stays a consistent total order during a sort.
 */
export function buildOrderingContext(
  tenants: readonly TenantSnapshot[],
  nowMs: number,
  seed: number | string,
  halfLifeMs: number = DEFAULT_FAIR_SHARE_HALF_LIFE_MS,
): OrderingContext {
  const fairShare = new Map<string, number>();
  for (const tenant of tenants) fairShare.set(tenant.id, fairShareKey(tenant, nowMs, halfLifeMs));
  return { seed, fairShare };
}

export type OrderingJob = Pick<
  JobSpec,
  'id' | 'tenantId' | 'priority' | 'boost' | 'deadlineMs' | 'submittedAtMs'
>;

/**
 * Priority class (with any critical-path boost), then earliest deadline (jobs with one go
 * before jobs without), then fair share, then age, then a seeded draw, then the id, which
 * is unique, so no two distinct jobs ever compare equal.
 */
export function compareJobs(a: OrderingJob, b: OrderingJob, context: OrderingContext): number {
  return (
    effectivePriorityRank(a.priority, a.boost) - effectivePriorityRank(b.priority, b.boost) ||
    compareDeadlines(a.deadlineMs, b.deadlineMs) ||
    compareNumbers(context.fairShare.get(a.tenantId) ?? 0, context.fairShare.get(b.tenantId) ?? 0) ||
    compareNumbers(a.submittedAtMs, b.submittedAtMs) ||
    compareNumbers(seededUnit(context.seed, 'order', a.id), seededUnit(context.seed, 'order', b.id)) ||
    compareStrings(a.id, b.id)
  );
}

/** A new, sorted array; the input is left as it was. */
export function orderQueue<T extends OrderingJob>(jobs: readonly T[], context: OrderingContext): T[] {
  return [...jobs].sort((a, b) => compareJobs(a, b, context));
}

function compareDeadlines(a: number | undefined, b: number | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return compareNumbers(a, b);
}

export function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
