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

/** Submissions inside the sliding rate window ending at `nowMs`, oldest first. */
export function submissionsInWindow(recentSubmissionsMs: readonly number[], nowMs: number): number[] {
  return recentSubmissionsMs.filter((t) => t > nowMs - RATE_WINDOW_MS && t <= nowMs).sort((a, b) => a - b);
}
