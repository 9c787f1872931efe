/** How far passes grow past SCHEDULER_BATCH while a backlog lasts. */
export const MAX_PASS_GROWTH = 4;
/** While a backlog lasts, a pass aims to send each ready node about this many jobs at once. */
export const JOBS_PER_NODE_MESSAGE = 40;

/**
 * The most queued jobs the next pass considers. A pass has a cost per node it places on (one
 * dispatch message, one report message back, the node's share of the snapshot) besides its
 * cost per job, so on a large fleet a pass of SCHEDULER_BATCH jobs sends each node only a
 * few. While the queue stays deeper than a pass (`backlog`: the last pass was full), the pass
 * grows to about JOBS_PER_NODE_MESSAGE jobs per ready node, up to MAX_PASS_GROWTH batches; a
 * small fleet keeps the configured batch (larger passes there only delay the first dispatch).
 * Without a backlog passes stay at the batch, so an urgent job waits for at most one pass in
 * progress, and a larger one only while the fleet is already behind.
 */
export function passBatch(batch: number, readyNodes: number, backlog: boolean): number {
  if (!backlog) return batch;
  return Math.min(MAX_PASS_GROWTH * batch, Math.max(batch, JOBS_PER_NODE_MESSAGE * readyNodes));
}
