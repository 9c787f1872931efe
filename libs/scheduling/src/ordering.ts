import { DEFAULT_FAIR_SHARE_HALF_LIFE_MS, fairShareKey } from './fair-share.js';
import { effectivePriorityRank } from './priority.js';
import { seededUnit } from './seeded-random.js';
import type { JobSpec, TenantSnapshot } from './snapshot.types.js';

export interface OrderingContext {
  readonly seed: number | string;
  /** Tenant id → fair-share key (lower is served first); tenants missing here count as 0. */
  readonly fairShare: ReadonlyMap<string, number>;
  /**
   * Job id → fair-share key including the tenant's own jobs queued ahead of it; wins over
   * the tenant's key when present. See `buildOrderingContext`.
   */
  readonly jobFairShare?: ReadonlyMap<string, number>;
}

/** GPU-seconds charged in ordering to a queued job without an estimate. */
export const DEFAULT_QUEUED_JOB_GPU_SECONDS = 60;

export type QueuedForOrdering = OrderingJob & Partial<Pick<JobSpec, 'gpus' | 'estimatedDurationMs'>>;

/**
 * Fair-share keys are computed once per ordering pass from the same `nowMs`, so the
 * comparator sees fixed numbers and stays a consistent total order during a sort.
 *
 * Given the queue, each job's key also counts the work its tenant has queued ahead of it,
 * so a tenant that submits a burst gets its first job early but its hundredth only after
 * other tenants have had their turn, within the same pass, not only once usage catches up.
 */
export function buildOrderingContext(
  tenants: readonly TenantSnapshot[],
  nowMs: number,
  seed: number | string,
  halfLifeMs: number = DEFAULT_FAIR_SHARE_HALF_LIFE_MS,
  queue?: readonly QueuedForOrdering[],
): OrderingContext {
  const fairShare = new Map<string, number>();
  for (const tenant of tenants) fairShare.set(tenant.id, fairShareKey(tenant, nowMs, halfLifeMs));
  if (!queue) return { seed, fairShare };

  const weights = new Map(tenants.map((t) => [t.id, t.weight !== undefined && t.weight > 0 ? t.weight : 1]));
  const byTenant = new Map<string, QueuedForOrdering[]>();
  for (const job of queue) {
    const jobs = byTenant.get(job.tenantId);
    if (jobs) jobs.push(job);
    else byTenant.set(job.tenantId, [job]);
  }
  const withoutShare: OrderingContext = { seed, fairShare: new Map() };
  const draw = drawsFor(seed);
  const jobFairShare = new Map<string, number>();
  for (const [tenantId, jobs] of byTenant) {
    let key = fairShare.get(tenantId) ?? 0;
    const weight = weights.get(tenantId) ?? 1;
    for (const job of jobs.sort((a, b) => compareJobsBy(a, b, withoutShare, draw))) {
      jobFairShare.set(job.id, key);
      const seconds =
        job.estimatedDurationMs === undefined
          ? DEFAULT_QUEUED_JOB_GPU_SECONDS
          : job.estimatedDurationMs / 1000;
      key += ((job.gpus ?? 1) * seconds) / weight;
    }
  }
  return { seed, fairShare, jobFairShare };
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
  return compareJobsBy(a, b, context, (id) => seededUnit(context.seed, 'order', id));
}

/** A new, sorted array; the input is left as it was. */
export function orderQueue<T extends OrderingJob>(jobs: readonly T[], context: OrderingContext): T[] {
  const draw = drawsFor(context.seed);
  return [...jobs].sort((a, b) => compareJobsBy(a, b, context, draw));
}

function compareJobsBy(
  a: OrderingJob,
  b: OrderingJob,
  context: OrderingContext,
  draw: (jobId: string) => number,
): number {
  return (
    effectivePriorityRank(a.priority, a.boost) - effectivePriorityRank(b.priority, b.boost) ||
    compareDeadlines(a.deadlineMs, b.deadlineMs) ||
    compareNumbers(fairShareOf(a, context), fairShareOf(b, context)) ||
    compareNumbers(a.submittedAtMs, b.submittedAtMs) ||
    compareNumbers(draw(a.id), draw(b.id)) ||
    compareStrings(a.id, b.id)
  );
}

/**
 * The seeded draw of each job, computed once per sort: a batch submitted in one statement
 * shares its submission time, so nearly every comparison of a sort would otherwise hash.
 */
function drawsFor(seed: number | string): (jobId: string) => number {
  const draws = new Map<string, number>();
  return (jobId) => {
    let value = draws.get(jobId);
    if (value === undefined) {
      value = seededUnit(seed, 'order', jobId);
      draws.set(jobId, value);
    }
    return value;
  };
}

function fairShareOf(job: OrderingJob, context: OrderingContext): number {
  return context.jobFairShare?.get(job.id) ?? context.fairShare.get(job.tenantId) ?? 0;
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
