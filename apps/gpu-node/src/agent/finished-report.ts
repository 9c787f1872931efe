import type { JobDispatch, JobReport } from '@voxelfleet/contracts';
import { isBuiltinKernel } from '@voxelfleet/cuda';
import type { Outcome } from './job-outcome.js';

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

/** Built-in names as they are; anything else collapses, so a client cannot mint label values. */
export function safeKernelLabel(name: string): string {
  return isBuiltinKernel(name) || name === 'custom' ? name : 'other';
}
