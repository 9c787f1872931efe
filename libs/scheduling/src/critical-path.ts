import { topologicalOrder } from './dag-validation.js';
import type { WorkflowNode, WorkflowSpec } from './workflow.types.js';

export interface CriticalPathOptions {
  /** Used for a job with neither history nor estimate. */
  readonly defaultDurationMs?: number;
  /** Classes of priority gained by a job on the critical path. */
  readonly boost?: number;
  /**
   * Jobs already finished (or skipped) take no more time, so the path is recomputed over
   * the work that remains and the boost moves to whatever now sets the end.
   */
  readonly finished?: ReadonlySet<string>;
}

export interface ScheduleSlot {
  readonly durationMs: number;
  readonly earliestStartMs: number;
  readonly latestStartMs: number;
  /** How long the job may slip without delaying the workflow; 0 on the critical path. */
  readonly slackMs: number;
}

export interface CriticalPath {
  /** The longest chain, first job first. */
  readonly path: readonly string[];
  readonly lengthMs: number;
  readonly slots: Readonly<Record<string, ScheduleSlot>>;
  /** Job id → priority classes to add; only jobs with no slack get one. */
  readonly boosts: Readonly<Record<string, number>>;
}

/** History wins over the author's estimate once there is any: the median of past runs. */
export function expectedDurationMs(node: WorkflowNode, defaultDurationMs: number): number {
  const history = [...(node.historyDurationsMs ?? [])].filter((d) => d >= 0).sort((a, b) => a - b);
  if (history.length > 0) {
    const mid = Math.floor(history.length / 2);
    return history.length % 2 === 1
      ? (history[mid] ?? 0)
      : ((history[mid - 1] ?? 0) + (history[mid] ?? 0)) / 2;
  }
  return node.estimatedDurationMs ?? defaultDurationMs;
}

/**
 * Classic forward/backward pass over a validated DAG. Jobs with zero slack get a priority
 * boost so that the workflow's end is not set by a step that waited behind unrelated work.
 */
export function criticalPath(spec: WorkflowSpec, options: CriticalPathOptions = {}): CriticalPath {
  const defaultDuration = options.defaultDurationMs ?? 60_000;
  const boost = options.boost ?? 1;
  const order = topologicalOrder(spec);
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const finished = options.finished ?? new Set<string>();
  const duration = new Map(
    spec.nodes.map((n) => [n.id, finished.has(n.id) ? 0 : expectedDurationMs(n, defaultDuration)]),
  );
  const children = new Map<string, string[]>(spec.nodes.map((n) => [n.id, []]));
  for (const node of spec.nodes) for (const dep of node.dependsOn) children.get(dep.jobId)?.push(node.id);

  const earliest = new Map<string, number>();
  for (const id of order) {
    const finishes = (byId.get(id)?.dependsOn ?? []).map(
      (dep) => (earliest.get(dep.jobId) ?? 0) + (duration.get(dep.jobId) ?? 0),
    );
    earliest.set(id, Math.max(0, ...finishes));
  }
  const lengthMs = Math.max(0, ...order.map((id) => (earliest.get(id) ?? 0) + (duration.get(id) ?? 0)));

  const latest = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const finishBy = Math.min(lengthMs, ...(children.get(id) ?? []).map((c) => latest.get(c) ?? lengthMs));
    latest.set(id, finishBy - (duration.get(id) ?? 0));
  }

  const slots: Record<string, ScheduleSlot> = {};
  const boosts: Record<string, number> = {};
  for (const id of order) {
    const earliestStartMs = earliest.get(id) ?? 0;
    const latestStartMs = latest.get(id) ?? 0;
    const slackMs = Math.max(0, latestStartMs - earliestStartMs);
    slots[id] = { durationMs: duration.get(id) ?? 0, earliestStartMs, latestStartMs, slackMs };
    if (slackMs === 0 && boost > 0 && !finished.has(id)) boosts[id] = boost;
  }

  // Walk back from the first job (in topological order) that finishes last.
  let tail = order.find((id) => (earliest.get(id) ?? 0) + (duration.get(id) ?? 0) === lengthMs);
  const path: string[] = [];
  while (tail !== undefined) {
    path.unshift(tail);
    tail =
      (byId.get(tail)?.dependsOn.length ?? 0) > 0
        ? criticalParent(tail, byId, earliest, duration)
        : undefined;
  }
  return { path, lengthMs, slots, boosts };
}

/** The parent whose finish sets this job's earliest start; the first such in submission order. */
function criticalParent(
  id: string,
  byId: ReadonlyMap<string, WorkflowNode>,
  earliest: ReadonlyMap<string, number>,
  duration: ReadonlyMap<string, number>,
): string | undefined {
  const start = earliest.get(id) ?? 0;
  return byId
    .get(id)
    ?.dependsOn.find((dep) => (earliest.get(dep.jobId) ?? 0) + (duration.get(dep.jobId) ?? 0) === start)
    ?.jobId;
}
