import type { JobDispatch, NodeEvent } from '@voxelfleet/contracts';
import type { Outcome } from './job-outcome.js';

type JobRef = Pick<JobDispatch, 'jobId' | 'attempt' | 'tenantId'>;

/** The audit-log event a finished job raises, if any: a CPU fallback or an out-of-memory refusal. */
export function outcomeEvent(
  nodeId: string,
  job: JobRef,
  kernel: string,
  o: Outcome,
  at: number,
): NodeEvent | null {
  const about = { nodeId, tenantId: job.tenantId, jobId: job.jobId, attempt: job.attempt, at };
  if (o.ok && o.fallbackReason) {
    return { ...about, type: 'job.cpu-fallback', detail: { kernel, reason: o.fallbackReason } };
  }
  if (!o.ok && (o.error.code === 'quota-oom' || o.error.code === 'device-oom')) {
    return {
      ...about,
      type: 'job.out-of-memory',
      detail: { kernel, code: o.error.code, message: o.error.message },
    };
  }
  return null;
}

/** The audit-log event of a custom kernel accepted or refused by the node. */
export function customKernelEvent(
  nodeId: string,
  job: JobRef,
  e: { type: string; name: string; keyId: string; [k: string]: unknown },
  at: number,
): NodeEvent {
  return {
    nodeId,
    type: e.type === 'kernel.rejected' ? 'kernel.rejected' : 'kernel.accepted',
    tenantId: job.tenantId,
    jobId: job.jobId,
    attempt: job.attempt,
    at,
    detail: {
      name: e.name,
      keyId: e.keyId,
      code: typeof e.code === 'string' ? e.code : null,
      reason: typeof e.reason === 'string' ? e.reason : null,
    },
  };
}
