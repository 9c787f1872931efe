import type { JobDispatch } from '@voxelfleet/contracts';

export type DispatchCheck =
  | { ok: true; job: JobDispatch }
  /** jobId/attempt are set when the message names them, so the failure can be reported. */
  | { ok: false; reason: string; jobId?: string; attempt?: number };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const nonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Checks a JobDispatch as it comes off the queue, with the same strictness as a request at
 * the edge: a message that is not one is refused with the field that is wrong.
 */
export function checkDispatch(raw: unknown): DispatchCheck {
  if (!isObject(raw)) return { ok: false, reason: 'dispatch: must be an object' };
  const jobId =
    typeof raw.jobId === 'string' && raw.jobId.length > 0 && raw.jobId.length <= 200 ? raw.jobId : undefined;
  const attempt =
    Number.isInteger(raw.attempt) && (raw.attempt as number) >= 1 ? (raw.attempt as number) : undefined;
  const fail = (reason: string): DispatchCheck => ({ ok: false, reason, jobId, attempt });
  if (!jobId) return fail('jobId: must be a non-empty string of at most 200 characters');
  if (!attempt) return fail('attempt: must be a positive integer');
  if (typeof raw.tenantId !== 'string' || !raw.tenantId) return fail('tenantId: must be a non-empty string');
  if (!isObject(raw.kernel) || typeof raw.kernel.name !== 'string')
    return fail('kernel.name: must be a string');
  if (raw.kernel.custom !== undefined && !isObject(raw.kernel.custom))
    return fail('kernel.custom: must be an object');
  if (!isObject(raw.inputs)) return fail('inputs: must be an object');
  if (
    raw.deviceIndex !== undefined &&
    !(Number.isInteger(raw.deviceIndex) && (raw.deviceIndex as number) >= 0)
  ) {
    return fail('deviceIndex: must be a non-negative integer');
  }
  if (!nonNegative(raw.vramBytes)) return fail('vramBytes: must be a non-negative number');
  if (typeof raw.cpuFallbackAllowed !== 'boolean') return fail('cpuFallbackAllowed: must be true or false');
  if (!(typeof raw.timeoutMs === 'number' && Number.isFinite(raw.timeoutMs) && raw.timeoutMs > 0)) {
    return fail('timeoutMs: must be a positive number');
  }
  if (raw.deadlineAtMs !== undefined && !nonNegative(raw.deadlineAtMs))
    return fail('deadlineAtMs: must be epoch milliseconds');
  if (!nonNegative(raw.dispatchedAtMs)) return fail('dispatchedAtMs: must be epoch milliseconds');
  if (
    raw.launches !== undefined &&
    !(
      Number.isInteger(raw.launches) &&
      (raw.launches as number) >= 1 &&
      (raw.launches as number) <= 1_000_000
    )
  ) {
    return fail('launches: must be an integer from 1 to 1000000');
  }
  if (raw.checkpointable !== undefined && typeof raw.checkpointable !== 'boolean')
    return fail('checkpointable: must be true or false');
  if (raw.checkpoint !== undefined) {
    const c = raw.checkpoint;
    if (!isObject(c) || !isObject(c.inputs)) return fail('checkpoint.inputs: must be an object');
    if (!(Number.isInteger(c.launchesDone) && (c.launchesDone as number) >= 0))
      return fail('checkpoint.launchesDone: must be a non-negative integer');
  }
  return { ok: true, job: raw as unknown as JobDispatch };
}
