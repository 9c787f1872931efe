/**
 * Every state a job row can be in. The allowed moves between them live in the jobs table's
 * state machine (migrations: job_state_moves and its generated guard); this is the list every
 * service, DTO and query reads.
 */
export const JOB_STATES = [
  'waiting',
  'submitted',
  'admitted',
  'placed',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'expired',
  'preempted',
  'requeued',
  'skipped',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Finished for good: no move leaves these. */
export const FINISHED_JOB_STATES = [
  'succeeded',
  'failed',
  'cancelled',
  'expired',
  'skipped',
] as const satisfies readonly JobState[];

/** States a user may cancel a job from: every state that is neither finished nor in passing. */
export const CANCELLABLE_JOB_STATES = [
  'waiting',
  'submitted',
  'admitted',
  'requeued',
  'placed',
  'running',
] as const satisfies readonly JobState[];
