import { countsTowardRate, firstIndexAbove, isAscending, RATE_WINDOW_MS } from './quota.js';
import type { JobSpec, TenantUsage } from './snapshot.types.js';

/** GPU-seconds a job reserves against the daily budget when admitted: its estimate on every GPU. */
export function reservedGpuSeconds(job: Pick<JobSpec, 'gpus' | 'estimatedDurationMs'>): number {
  return (job.gpus * (job.estimatedDurationMs ?? 0)) / 1000;
}

/** The tenant's usage once `job` is admitted and starts at `nowMs`. */
export function chargeAdmission(usage: TenantUsage, job: JobSpec, nowMs: number): TenantUsage {
  return chargeHeld(
    usage,
    job,
    countsTowardRate(job.affinity)
      ? [...withinWindow(usage.recentSubmissionsMs, nowMs), nowMs]
      : usage.recentSubmissionsMs,
  );
}

/**
 * `chargeAdmission` with the rate window given: what the job holds (VRAM, GPUs, a running
 * slot, its GPU-second estimate, a stream) charged, and `recentSubmissionsMs` as the caller
 * built it (a scheduling pass grows one list per tenant instead of copying it per job).
 */
export function chargeHeld(
  usage: TenantUsage,
  job: JobSpec,
  recentSubmissionsMs: readonly number[],
): TenantUsage {
  return {
    ...usage,
    vramBytes: usage.vramBytes + job.vramBytesPerDevice * job.gpus,
    gpus: usage.gpus + job.gpus,
    runningJobs: usage.runningJobs + 1,
    recentSubmissionsMs,
    gpuSecondsToday: usage.gpuSecondsToday + reservedGpuSeconds(job),
    trackingStreams: usage.trackingStreams + (job.opensTrackingStream ? 1 : 0),
  };
}

/**
 * The tenant's usage once `job` finishes. The reservation made at admission is replaced by
 * what the job really used, so an early finish gives budget back.
 */
export function releaseCompletion(usage: TenantUsage, job: JobSpec, actualGpuSeconds: number): TenantUsage {
  return {
    ...usage,
    vramBytes: Math.max(0, usage.vramBytes - job.vramBytesPerDevice * job.gpus),
    gpus: Math.max(0, usage.gpus - job.gpus),
    runningJobs: Math.max(0, usage.runningJobs - 1),
    gpuSecondsToday: Math.max(0, usage.gpuSecondsToday - reservedGpuSeconds(job) + actualGpuSeconds),
    trackingStreams: Math.max(0, usage.trackingStreams - (job.opensTrackingStream ? 1 : 0)),
  };
}

/** The entries still inside the rate window; a sorted array is cut, not filtered. */
export function withinWindow(times: readonly number[], nowMs: number): readonly number[] {
  const cutoff = nowMs - RATE_WINDOW_MS;
  if (!isAscending(times)) return times.filter((t) => t > cutoff);
  const from = firstIndexAbove(times, cutoff);
  return from === 0 ? times : times.slice(from);
}
