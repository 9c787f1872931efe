import type { JobDispatch, JobReport } from '@voxelfleet/contracts';
import { isBuiltinKernel } from '@voxelfleet/cuda';
import type { Outcome } from './job-outcome.js';
import type { Stopped } from './run-control.js';

/** The report a finished attempt sends: succeeded with its output, or failed with its error. */
export function finishedReport(
  job: Pick<JobDispatch, 'jobId' | 'attempt'>,
  nodeId: string,
  startedAt: number,
  outcome: Outcome,
  now: number = Date.now(),
): JobReport {
  const base = { jobId: job.jobId, attempt: job.attempt, nodeId, at: now, durationMs: now - startedAt };
  return outcome.ok
    ? {
        ...base,
        type: 'succeeded',
        where: outcome.where,
        deviceIndex: outcome.deviceIndex,
        output: outcome.output,
        fallbackReason: outcome.fallbackReason,
      }
    : { ...base, type: 'failed', error: outcome.error };
}

/** The report of a run ended by a stop: what it did, and the checkpoint it wrote, if any. */
export function stoppedReport(
  job: Pick<JobDispatch, 'jobId' | 'attempt'>,
  nodeId: string,
  startedAt: number,
  end: Stopped,
  now: number = Date.now(),
): JobReport {
  return {
    jobId: job.jobId,
    attempt: job.attempt,
    nodeId,
    at: now,
    type: 'stopped',
    reason: end.stopped.reason,
    durationMs: now - startedAt,
    started: end.started,
    launchesDone: end.launchesDone,
    ...(end.checkpoint ? { checkpoint: end.checkpoint } : {}),
  };
}

/** Built-in names as they are; anything else collapses, so a client cannot mint label values. */
export function safeKernelLabel(name: string): string {
  return isBuiltinKernel(name) || name === 'custom' ? name : 'other';
}
