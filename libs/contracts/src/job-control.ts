import type { KernelInputs } from './jobs.js';

/**
 * Stopping a run on its node, and resuming it from a checkpoint.
 *
 * Flow: the scheduler (preemption) or the gateway (cancellation) records which run must stop
 * and enqueues a JobStop on the node's control queue (`nodeControlQueue(nodeId)`, apart from its
 * dispatch queue so a stop never waits behind dispatches). The node stops the run's launches
 * at the next kernel boundary, frees its pool job and slot, and reports `stopped` (a JobReport).
 * Until that report (or the node being declared lost) the run's room stays held. A stop for a
 * run the node does not hold is answered `stopped` as well, and the node remembers it, so a
 * dispatch that arrives after its stop never starts.
 */

/** Why a run is stopped. */
export type StopReason = 'preempted' | 'cancelled';

export interface JobStop {
  jobId: string;
  attempt: number;
  reason: StopReason;
  /**
   * A preemption notice for a checkpointable job: it writes a checkpoint at its next launch
   * boundary and stops, and is stopped without one once this many ms have passed. 0: stop at
   * the next boundary without a checkpoint.
   */
  graceMs: number;
  /** Epoch ms the stop was sent. */
  at: number;
}

/** The message name of a JobStop on a node's control queue. */
export const JOB_STOP = 'stop';

/** Each node consumes its control queue beside its dispatch queue. */
export function nodeControlQueue(nodeId: string): string {
  return `node-control.${nodeId}`;
}

/**
 * A run's progress at a launch boundary: the inputs its next launch takes (the previous
 * launch's outputs laid over the job's inputs) and how many launches are done. Kept with the
 * job; its next run starts from here.
 */
export interface JobCheckpoint {
  launchesDone: number;
  inputs: KernelInputs;
  /** Epoch ms on the node's clock. */
  at: number;
}
