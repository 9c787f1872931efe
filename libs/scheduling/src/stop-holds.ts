import type { PriorityClass } from './priority.js';
import type { FleetSnapshot, RunningJob } from './snapshot.types.js';

/**
 * A run told to stop (preempted or cancelled) keeps its room until its node confirms the stop
 * or is declared lost: the node may still be finishing the launch in flight, and handing its
 * memory or slot out before then would oversubscribe the device. This is what is recorded
 * with the job (`jobs.stopping`) and what the room it holds looks like to placement.
 */
export interface StoppingRun {
  readonly attempt: number;
  readonly nodeId: string;
  readonly deviceIds: readonly string[];
  readonly vramBytesPerDevice: number;
  readonly reason: 'preempted' | 'cancelled';
  /** The notice's grace: a checkpointable job may write a checkpoint within it. */
  readonly graceMs: number;
  readonly requestedAtMs: number;
}

/** A job has at most one run stopping (it is not placed again before the stop is confirmed). */
export function stopHoldId(jobId: string): string {
  return `${jobId}:stopping`;
}

/** The room a stopping run holds, as a running entry that is never chosen as a victim again. */
export function stopHoldOf(
  job: { id: string; tenantId: string; priority: PriorityClass },
  stopping: StoppingRun,
): RunningJob {
  return {
    jobId: stopHoldId(job.id),
    tenantId: job.tenantId,
    nodeId: stopping.nodeId,
    deviceIds: stopping.deviceIds,
    vramBytesPerDevice: stopping.deviceIds.length > 0 ? stopping.vramBytesPerDevice : 0,
    priority: job.priority,
    preemptible: false,
    startedAtMs: stopping.requestedAtMs,
    stopping: true,
  };
}

/**
 * The snapshot once the victims were told to stop: each keeps its room on its node, as a stop
 * hold, until its node confirms (a job that preempted them waits for that room), but no
 * longer counts as its tenant's running work: the job is back in the queue, as the tenants'
 * usage read from the table shows it.
 */
export function applyStopping(snapshot: FleetSnapshot, victimIds: readonly string[]): FleetSnapshot {
  const ids = new Set(victimIds);
  if (ids.size === 0) return snapshot;
  const stopped = snapshot.running.filter((r) => ids.has(r.jobId) && !r.stopping);
  let tenants = snapshot.tenants;
  for (const r of stopped) {
    tenants = tenants.map((t) =>
      t.id === r.tenantId
        ? {
            ...t,
            usage: {
              ...t.usage,
              vramBytes: Math.max(0, t.usage.vramBytes - r.vramBytesPerDevice * r.deviceIds.length),
              gpus: Math.max(0, t.usage.gpus - r.deviceIds.length),
              runningJobs: Math.max(0, t.usage.runningJobs - 1),
            },
          }
        : t,
    );
  }
  return {
    ...snapshot,
    tenants,
    running: snapshot.running.map((r) =>
      ids.has(r.jobId) && !r.stopping
        ? { ...r, jobId: stopHoldId(r.jobId), preemptible: false, stopping: true as const }
        : r,
    ),
  };
}
