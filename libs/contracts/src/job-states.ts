/**
 * Every state a job row can be in, and (JOB_STATE_MOVES) the moves allowed between them: the
 * list every service, DTO, query and the console reads. The jobs table enforces the same moves
 * (migrations: job_state_moves and the guard generated from it); an e2e test holds the two
 * together.
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

/** Not yet on a node: waiting for dependencies, for admission or for placement. */
export const QUEUED_JOB_STATES = [
  'waiting',
  'submitted',
  'admitted',
  'requeued',
] as const satisfies readonly JobState[];

/**
 * The job state machine: for each state, the states a job may move to from it. A finished
 * state has none. The database refuses any other move (check_violation).
 */
export const JOB_STATE_MOVES: { readonly [From in JobState]: readonly JobState[] } = {
  waiting: ['submitted', 'skipped', 'cancelled'],
  submitted: ['admitted', 'placed', 'failed', 'cancelled', 'expired'],
  admitted: ['placed', 'submitted', 'failed', 'cancelled', 'expired'],
  placed: ['running', 'succeeded', 'failed', 'requeued', 'preempted', 'cancelled', 'expired'],
  running: ['succeeded', 'failed', 'requeued', 'preempted', 'cancelled', 'expired'],
  preempted: ['requeued'],
  requeued: ['admitted', 'placed', 'failed', 'cancelled', 'expired', 'submitted'],
  succeeded: [],
  failed: [],
  cancelled: [],
  expired: [],
  skipped: [],
};
