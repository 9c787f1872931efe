import type { JobReport } from '@voxelfleet/contracts';
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from '@voxelfleet/scheduling';
import type { EntityManager } from 'typeorm';
import type { FinishedJob, JobStore } from '../jobs/job-store.js';

/** Failures that say something about the node, not about the job: they count toward its breaker. */
const NODE_FAULTS: ReadonlySet<string> = new Set([
  'launch-failed',
  'device-lost',
  'device-oom',
  'internal',
  'timeout',
]);

export interface AppliedReports {
  finished: FinishedJob[];
  /** Attempts that moved to running, with the node's start time. */
  started: { jobId: string; startedAtMs: number }[];
  /** Jobs that no longer hold room on a node: finished, or requeued for a retry. */
  released: string[];
  /** Nodes whose job succeeded, and nodes blamed for a failure. */
  succeededOn: string[];
  failedOn: string[];
  requeued: number;
  /** Jobs whose run was told to stop and has now ended on its node: the room it held is free. */
  stopsConfirmed: string[];
}

interface AttemptRow {
  id: string;
  attempt: number;
  max_attempts: number;
}

/**
 * Applies a batch of node reports in one transaction: started → running, succeeded, failed →
 * retried with backoff or failed for good. Each write names the attempt, so a report from an
 * attempt that was since requeued (its node was lost, it was preempted) changes nothing and a
 * job completes once however many times a node reports it.
 */
export async function applyReports(
  store: JobStore,
  manager: EntityManager,
  reports: readonly JobReport[],
  policy: Omit<RetryPolicy, 'maxAttempts'> = DEFAULT_RETRY_POLICY,
  seed: string | number = 'voxelfleet',
): Promise<AppliedReports> {
  const started = reports.flatMap((r) => (r.type === 'started' ? [r] : []));
  const succeeded = reports.flatMap((r) => (r.type === 'succeeded' ? [r] : []));
  const failed = reports.flatMap((r) => (r.type === 'failed' ? [r] : []));
  const stopped = reports.flatMap((r) => (r.type === 'stopped' ? [r] : []));

  // A run told to stop has ended on its node by any final report of its attempt; only a
  // `stopped` one may carry a checkpoint. Guarded by the attempt, and the result of a run
  // that was stopped is never recorded (its job is requeued or cancelled by now).
  const stopsConfirmed = await store.confirmStops(manager, [
    ...stopped.map((r) => ({
      jobId: r.jobId,
      attempt: r.attempt,
      ...(r.checkpoint ? { checkpoint: r.checkpoint } : {}),
    })),
    ...succeeded.map((r) => ({ jobId: r.jobId, attempt: r.attempt })),
    ...failed.map((r) => ({ jobId: r.jobId, attempt: r.attempt })),
  ]);

  const running = await store.markRunning(
    manager,
    started.map((r) => ({
      jobId: r.jobId,
      attempt: r.attempt,
      at: r.at,
      where: where(r.nodeId, r.where, r.deviceIndex),
    })),
  );
  const done = await store.markSucceeded(
    manager,
    succeeded.map((r) => ({
      jobId: r.jobId,
      attempt: r.attempt,
      at: r.at,
      durationMs: r.durationMs,
      output: r.output,
      reason: `succeeded on ${where(r.nodeId, r.where, r.deviceIndex)} in ${r.durationMs} ms${r.fallbackReason ? ` (CPU fallback: ${r.fallbackReason})` : ''}`,
    })),
  );

  let failedRows: FinishedJob[] = [];
  let requeued = 0;
  const applied = new Set<string>();
  if (failed.length > 0) {
    const attempts: AttemptRow[] = await manager.query(
      `SELECT id, attempt, max_attempts FROM jobs WHERE id = ANY($1::uuid[])`,
      [failed.map((r) => r.jobId)],
    );
    const limits = new Map(attempts.map((a) => [a.id, a.max_attempts]));
    const writes = failed.map((r) => {
      const verdict = r.error.retryable
        ? decideRetry(
            { jobId: r.jobId, attempts: r.attempt, errorClass: r.error.code, failedAtMs: r.at },
            { ...policy, maxAttempts: limits.get(r.jobId) ?? 1 },
            seed,
          )
        : ({ retry: false, reason: `${r.error.code} is not retryable` } as const);
      return {
        jobId: r.jobId,
        attempt: r.attempt,
        at: r.at,
        error: r.error,
        retryAt: verdict.retry ? verdict.retryAtMs : null,
        reason: `${r.error.code} on ${r.nodeId}: ${r.error.message}; ${verdict.retry ? `retry: ${verdict.reason}` : `failed: ${verdict.reason}`}`,
      };
    });
    const rows = await store.markFailed(manager, writes);
    for (const row of rows) applied.add(row.id);
    requeued = rows.filter((row) => row.state === 'requeued').length;
    failedRows = rows.filter((row) => row.state === 'failed');
  }

  const startedAt = new Map(started.map((r) => [r.jobId, r.at]));
  return {
    finished: [...done, ...failedRows],
    started: running.map((jobId) => ({ jobId, startedAtMs: startedAt.get(jobId) ?? 0 })),
    released: [...done.map((row) => row.id), ...applied],
    succeededOn: done.flatMap((row) => (row.node_id ? [row.node_id] : [])),
    failedOn: failed
      .filter((r) => NODE_FAULTS.has(r.error.code) && applied.has(r.jobId))
      .map((r) => r.nodeId),
    requeued,
    stopsConfirmed,
  };
}

function where(nodeId: string, location: 'cuda' | 'cpu', deviceIndex?: number): string {
  return location === 'cuda' ? `${nodeId} GPU ${deviceIndex ?? 0}` : `${nodeId} CPU`;
}
