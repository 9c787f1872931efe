import { effectiveLimit, QUOTA_NAMES, submissionWindow } from './quota.js';
import type { QuotaName, TenantSnapshot } from './snapshot.types.js';

export interface QuotaLine {
  readonly quota: QuotaName;
  readonly limit: number;
  /** `edition` when the edition's ceiling, not the tenant's own quota, sets the limit. */
  readonly source: 'tenant' | 'edition';
  readonly used: number;
  readonly headroom: number;
}

/**
 * Limits, usage and headroom for every quota, as `GET /v1/quota` and `/admin/gpu/tenants`
 * show them. Per-device VRAM is a cap on each job, not a pool, so its usage is always 0.
 */
export function quotaReport(tenant: TenantSnapshot, nowMs: number): QuotaLine[] {
  const used: Record<QuotaName, number> = {
    vramBytesPerDevice: 0,
    vramBytesTotal: tenant.usage.vramBytes,
    gpus: tenant.usage.gpus,
    concurrentJobs: tenant.usage.runningJobs,
    jobsPerMinute: submissionWindow(tenant.usage.recentSubmissionsMs, nowMs).count,
    gpuSecondsPerDay: tenant.usage.gpuSecondsToday,
    trackingStreams: tenant.usage.trackingStreams,
  };
  return QUOTA_NAMES.map((quota) => {
    const { limit, source } = effectiveLimit(tenant, quota);
    return { quota, limit, source, used: used[quota], headroom: Math.max(0, limit - used[quota]) };
  });
}
