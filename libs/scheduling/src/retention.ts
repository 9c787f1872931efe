/**
 * How long the scheduler keeps history. Finished jobs (with their transitions) and workflows
 * whose jobs all finished go after `jobRetentionMs`; the decision log and recorded passes after
 * `decisionRetentionMs`. Zero keeps that history forever.
 */
export interface RetentionPolicy {
  readonly jobRetentionMs: number;
  readonly decisionRetentionMs: number;
}

/** Job states with no way out (see job_state_moves): only these are ever pruned. */
export { FINISHED_JOB_STATES } from '@voxelfleet/contracts';

export const DAY_MS = 86_400_000;

/** Finished jobs for a month, decisions for two weeks. */
export const DEFAULT_RETENTION: RetentionPolicy = {
  jobRetentionMs: 30 * DAY_MS,
  decisionRetentionMs: 14 * DAY_MS,
};

/**
 * The shortest job retention accepted: admission counts GPU-seconds since 00:00 UTC and
 * placements of the last minute from the jobs table, so a finished job must outlive its day.
 */
export const MIN_JOB_RETENTION_MS = 2 * DAY_MS;

export interface RetentionCutoffs {
  /** Finished before this instant: prunable. Null: jobs are kept. */
  readonly jobsFinishedBefore: Date | null;
  /** Decided before this instant: prunable. Null: the decision log is kept. */
  readonly decisionsBefore: Date | null;
}

export function retentionCutoffs(nowMs: number, policy: RetentionPolicy): RetentionCutoffs {
  if (policy.jobRetentionMs > 0 && policy.jobRetentionMs < MIN_JOB_RETENTION_MS)
    throw new RangeError(
      `jobRetentionMs: at least ${MIN_JOB_RETENTION_MS} ms (${MIN_JOB_RETENTION_MS / DAY_MS} days), or 0 to keep jobs; got ${policy.jobRetentionMs}`,
    );
  return {
    jobsFinishedBefore: policy.jobRetentionMs > 0 ? new Date(nowMs - policy.jobRetentionMs) : null,
    decisionsBefore: policy.decisionRetentionMs > 0 ? new Date(nowMs - policy.decisionRetentionMs) : null,
  };
}
