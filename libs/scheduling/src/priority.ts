/** Highest first: the index is the rank used when ordering and when choosing preemption victims. */
export const PRIORITY_CLASSES = ['realtime', 'high', 'normal', 'low', 'background'] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];

/** What a job gets when its submitter names no class, as batch schedulers usually do. */
export const DEFAULT_PRIORITY: PriorityClass = 'normal';

/** 0 is the most urgent class. */
export function priorityRank(priority: PriorityClass): number {
  return PRIORITY_CLASSES.indexOf(priority);
}

/**
 * A critical-path boost lifts a job by whole classes, but never into `realtime`: that class
 * is reserved for work whose deadline is a frame period, and a batch workflow must not be
 * able to push live tracking aside.
 */
export function effectivePriorityRank(priority: PriorityClass, boost = 0): number {
  const rank = priorityRank(priority);
  const ceiling = priorityRank('high');
  if (rank <= ceiling) return rank;
  return Math.max(ceiling, rank - Math.max(0, Math.floor(boost)));
}

/** True when `a` outranks `b` strictly (a lower rank number). */
export function outranks(a: PriorityClass, b: PriorityClass): boolean {
  return priorityRank(a) < priorityRank(b);
}
