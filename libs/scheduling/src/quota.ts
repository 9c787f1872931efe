import type { QuotaName, TenantQuota, TenantSnapshot } from './snapshot.types.js';

export const QUOTA_NAMES: readonly QuotaName[] = [
  'vramBytesPerDevice',
  'vramBytesTotal',
  'gpus',
  'concurrentJobs',
  'jobsPerMinute',
  'gpuSecondsPerDay',
  'trackingStreams',
];

export const RATE_WINDOW_MS = 60_000;

export interface EffectiveLimit {
  readonly limit: number;
  /** Which side set the limit: the tenant's own quota, or its edition's ceiling. */
  readonly source: 'tenant' | 'edition';
}

/** A tenant's quota overrides its edition's defaults only within the edition's ceiling. */
export function effectiveLimit(tenant: TenantSnapshot, name: QuotaName): EffectiveLimit {
  const own = tenant.quota[name];
  const ceiling = tenant.edition.ceiling[name];
  return own <= ceiling ? { limit: own, source: 'tenant' } : { limit: ceiling, source: 'edition' };
}

export function effectiveQuota(tenant: TenantSnapshot): TenantQuota {
  const entries = QUOTA_NAMES.map((name) => [name, effectiveLimit(tenant, name).limit] as const);
  return Object.fromEntries(entries) as unknown as TenantQuota;
}

/**
 * Submissions inside the sliding rate window ending at `nowMs`, oldest first. Usage arrays
 * are normally kept in time order (chargeAdmission appends), and a busy tenant's holds a
 * minute of placements: a sorted array is cut by binary search instead of filtered and
 * sorted once per admission.
 */
export function submissionsInWindow(recentSubmissionsMs: readonly number[], nowMs: number): number[] {
  if (!isAscending(recentSubmissionsMs)) {
    return recentSubmissionsMs.filter((t) => t > nowMs - RATE_WINDOW_MS && t <= nowMs).sort((a, b) => a - b);
  }
  const from = firstIndexAbove(recentSubmissionsMs, nowMs - RATE_WINDOW_MS);
  const to = firstIndexAbove(recentSubmissionsMs, nowMs);
  return recentSubmissionsMs.slice(from, to);
}

/** The submissions inside the rate window: how many, and the i-th oldest of them. */
export interface SubmissionWindow {
  readonly count: number;
  oldest(i: number): number;
}

/**
 * `submissionsInWindow` without the copy: admission asks once per job for the count and at
 * most one entry, and a busy tenant's window holds a minute of placements.
 */
export function submissionWindow(recentSubmissionsMs: readonly number[], nowMs: number): SubmissionWindow {
  if (!isAscending(recentSubmissionsMs)) {
    const inside = submissionsInWindow(recentSubmissionsMs, nowMs);
    return { count: inside.length, oldest: (i) => inside[i] as number };
  }
  const from = firstIndexAbove(recentSubmissionsMs, nowMs - RATE_WINDOW_MS);
  const to = firstIndexAbove(recentSubmissionsMs, nowMs);
  return { count: to - from, oldest: (i) => recentSubmissionsMs[from + i] as number };
}

export function isAscending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i += 1)
    if ((values[i] as number) < (values[i - 1] as number)) return false;
  return true;
}

/** In an ascending array, the index of the first value greater than `bound` (length if none). */
export function firstIndexAbove(sorted: readonly number[], bound: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) > bound) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Whether a job counts toward its tenant's `jobsPerMinute`. A tracking stream's frame-set
 * jobs (affinity `sameNodeAsStream`) do not: a stream at 30 frame-sets/s submits 1,800 a
 * minute, and the tenant's `trackingStreams` quota is what governs streams. They still count
 * toward VRAM, GPUs, concurrency and GPU-seconds like any job.
 */
export function countsTowardRate(
  affinity: { readonly sameNodeAsStream?: string } | null | undefined,
): boolean {
  return affinity?.sameNodeAsStream === undefined;
}
