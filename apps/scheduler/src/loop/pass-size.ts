/** How far passes grow past SCHEDULER_BATCH while a backlog lasts. */
export const MAX_PASS_GROWTH = 4;

/**
 * The next pass's size, as a multiple of the configured batch. A pass has a cost that does not
 * depend on its size (the fleet's snapshot, a message per node it placed on, a report per
 * node, one transaction), so while the queue stays deeper than a pass, each full pass doubles
 * the next, up to MAX_PASS_GROWTH. The first pass that is not full goes back to the batch, so
 * a quiet queue keeps passes short: an urgent job waits for at most one pass in progress, and
 * a large one only while the fleet is already behind.
 */
export function nextPassScale(scale: number, full: boolean): number {
  return full ? Math.min(MAX_PASS_GROWTH, scale * 2) : 1;
}
