import type { QuotaBlocker, Rejection } from './blockers.js';
import { borrowingLimitOf, isBorrowable, planBorrowing, type Borrowing } from './borrowing.js';
import type { DeviceClass } from './device-class.js';
import { neverFitsFleet } from './fleet-fit.js';
import { validateJob } from './job-validation.js';
import { countsTowardRate, effectiveLimit, RATE_WINDOW_MS, submissionWindow } from './quota.js';
import type { JobSpec, NodeSnapshot, QuotaName, TenantSnapshot } from './snapshot.types.js';
import { reservedGpuSeconds } from './tenant-usage.js';
import { formatBytes, formatDurationMs } from './units.js';

export type AdmissionDecision =
  | {
      readonly verdict: 'admit';
      readonly deviceClass: DeviceClass | null;
      /** The job allows CPU fallback and its edition offers it. */
      readonly cpuFallbackPermitted: boolean;
      /** Present when the job only fits by borrowing from its tenant's cohort. */
      readonly borrowing?: readonly Borrowing[];
    }
  | {
      readonly verdict: 'wait';
      readonly blockers: readonly QuotaBlocker[];
      readonly deviceClass: DeviceClass | null;
      readonly cpuFallbackPermitted: boolean;
    }
  | { readonly verdict: 'reject'; readonly rejection: Rejection };

export interface AdmissionContext {
  readonly nowMs: number;
  /** Registered nodes, used to refuse a job that no node could ever run. */
  readonly nodes: readonly NodeSnapshot[];
  /**
   * The tenant's cohort, itself included (see `cohortMembers`); absent: nothing to borrow
   * from, though a job within the tenant's limit plus its borrowing limit is not refused.
   */
  readonly cohort?: readonly TenantSnapshot[];
}

/** What a job asks of each quota, given the tenant's usage now. */
interface QuotaDemand {
  readonly quota: QuotaName;
  readonly requested: number;
  readonly used: number;
  readonly clearsAtMs?: number;
}

/**
 * Tenant-side admission: suspension, edition features, quotas. Capacity on the fleet is the
 * placement's business; here the fleet only matters to refuse what could never run.
 */
export function admitJob(
  job: JobSpec,
  tenant: TenantSnapshot | undefined,
  context: AdmissionContext,
): AdmissionDecision {
  const reject = (rejection: Rejection): AdmissionDecision => ({ verdict: 'reject', rejection });
  const validated = validateJob(job);
  if (!validated.ok) return reject(validated.rejection);
  if (!tenant || tenant.id !== job.tenantId) {
    return reject({ code: 'unknown-tenant', reason: `tenant ${job.tenantId} is not known` });
  }
  if (tenant.suspended)
    return reject({ code: 'tenant-suspended', reason: `tenant ${tenant.id} is suspended` });

  const featureRejection = checkFeatures(job, tenant);
  if (featureRejection) return reject(featureRejection);
  if (job.deadlineMs !== undefined && job.deadlineMs <= context.nowMs) {
    return reject({
      code: 'deadline-passed',
      reason: `deadline passed ${context.nowMs - job.deadlineMs} ms ago`,
    });
  }

  const demands = quotaDemands(job, tenant, context.nowMs);
  for (const demand of demands) {
    const { limit, source } = effectiveLimit(tenant, demand.quota);
    const borrowable = isBorrowable(demand.quota) ? borrowingLimitOf(tenant, demand.quota) : 0;
    if (demand.requested > limit + borrowable) {
      const code = source === 'edition' ? 'exceeds-edition-ceiling' : 'exceeds-quota';
      const owner = source === 'edition' ? `edition ${tenant.edition.name} ceiling` : 'tenant quota';
      return reject({
        code,
        reason: `${demand.quota}: job needs ${show(demand.quota, demand.requested)}, ${owner} is ${show(demand.quota, limit)}`,
      });
    }
  }

  const cpuFallbackPermitted = job.cpuFallbackAllowed && tenant.edition.features.cpuFallback;
  const never = neverFitsFleet(job, context.nodes, validated.deviceClass, cpuFallbackPermitted);
  if (never) return reject(never);

  const blockers: QuotaBlocker[] = [];
  const borrowing: Borrowing[] = [];
  for (const demand of demands) {
    const { limit } = effectiveLimit(tenant, demand.quota);
    const shortfall = demand.used + demand.requested - limit;
    // An exhausted daily budget blocks even a job without an estimate, which reserves nothing.
    const exhausted = demand.quota === 'gpuSecondsPerDay' && demand.used >= limit;
    if (!exhausted && (demand.requested === 0 || shortfall <= 0)) continue;
    let borrowNote = '';
    if (isBorrowable(demand.quota) && tenant.cohort !== undefined) {
      const plan = planBorrowing(tenant, context.cohort ?? [tenant], demand.quota, demand.requested);
      if (plan.ok) {
        if (plan.borrowing) borrowing.push(plan.borrowing);
        continue;
      }
      borrowNote = `; ${plan.detail}`;
    }
    const clears =
      demand.clearsAtMs === undefined
        ? ''
        : `, clears in ${formatDurationMs(demand.clearsAtMs - context.nowMs)}`;
    blockers.push({
      kind: 'quota',
      quota: demand.quota,
      limit,
      used: demand.used,
      requested: demand.requested,
      shortfall,
      ...(demand.clearsAtMs === undefined ? {} : { clearsAtMs: demand.clearsAtMs }),
      message: `${demand.quota}: ${show(demand.quota, demand.used)} used + ${show(demand.quota, demand.requested)} requested exceeds ${show(demand.quota, limit)} by ${show(demand.quota, shortfall)}${clears}${borrowNote}`,
    });
  }
  if (blockers.length > 0)
    return { verdict: 'wait', blockers, deviceClass: validated.deviceClass, cpuFallbackPermitted };
  return {
    verdict: 'admit',
    deviceClass: validated.deviceClass,
    cpuFallbackPermitted,
    ...(borrowing.length === 0 ? {} : { borrowing }),
  };
}

function checkFeatures(job: JobSpec, tenant: TenantSnapshot): Rejection | null {
  const { features, name } = tenant.edition;
  const missing = (feature: string, why: string): Rejection => ({
    code: 'feature-disabled',
    reason: `edition ${name} does not include ${feature} (${why})`,
  });
  if (job.gpus > 1 && !features.multiGpu) return missing('multi-GPU jobs', `job asks for ${job.gpus} GPUs`);
  if (job.kernel.custom && !features.signedCustomKernels) {
    return missing('signed custom kernels', `kernel ${job.kernel.name} is custom`);
  }
  const usesStreams = job.opensTrackingStream === true || job.affinity?.sameNodeAsStream !== undefined;
  if (usesStreams && !features.trackingStreams)
    return missing('tracking streams', 'job uses a tracking stream');
  return null;
}

function quotaDemands(job: JobSpec, tenant: TenantSnapshot, nowMs: number): QuotaDemand[] {
  const usage = tenant.usage;
  const window = submissionWindow(usage.recentSubmissionsMs, nowMs);
  const rateLimit = effectiveLimit(tenant, 'jobsPerMinute').limit;
  const rateRequest = countsTowardRate(job.affinity) ? 1 : 0;
  // The window frees one slot each time its oldest entry ages out; the job fits once
  // enough of them have gone that `window.length + 1 <= limit`.
  const mustAgeOut = rateRequest === 0 ? 0 : window.count + 1 - rateLimit;
  const rateClearsAt =
    mustAgeOut > 0 && mustAgeOut <= window.count ? window.oldest(mustAgeOut - 1) : undefined;
  return [
    { quota: 'vramBytesPerDevice', requested: job.vramBytesPerDevice, used: 0 },
    { quota: 'vramBytesTotal', requested: job.vramBytesPerDevice * job.gpus, used: usage.vramBytes },
    { quota: 'gpus', requested: job.gpus, used: usage.gpus },
    { quota: 'concurrentJobs', requested: 1, used: usage.runningJobs },
    {
      quota: 'jobsPerMinute',
      requested: rateRequest,
      used: window.count,
      ...(rateClearsAt === undefined ? {} : { clearsAtMs: rateClearsAt + RATE_WINDOW_MS }),
    },
    {
      quota: 'gpuSecondsPerDay',
      requested: reservedGpuSeconds(job),
      used: usage.gpuSecondsToday,
      ...(usage.dayResetsAtMs === undefined ? {} : { clearsAtMs: usage.dayResetsAtMs }),
    },
    { quota: 'trackingStreams', requested: job.opensTrackingStream ? 1 : 0, used: usage.trackingStreams },
  ];
}

function show(quota: QuotaName, value: number): string {
  if (quota === 'vramBytesPerDevice' || quota === 'vramBytesTotal') return formatBytes(value);
  if (quota === 'gpuSecondsPerDay') return `${Number(value.toFixed(3))} GPU-s`;
  return String(value);
}
