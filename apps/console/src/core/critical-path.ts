/** One step of a DAG with how long it takes (or took, or is expected to take). */
export interface DagStep {
  key: string;
  durationMs: number;
  dependsOn: readonly string[];
}

export interface CriticalPath {
  /** Step keys from a root to the last step to finish, in order. */
  path: string[];
  /** Sum of the durations along the path. */
  lengthMs: number;
  /** Earliest finish of every step if each starts as soon as its dependencies finish. */
  earliestFinishMs: Record<string, number>;
}

/**
 * The longest chain of dependent steps by duration: the steps that decide when the whole
 * workflow can finish. Ties go to the longer chain, then to the lexicographically smaller
 * key, so the answer is deterministic. Throws on an unknown dependency or a cycle (the server refuses both, so
 * either means the data is not a workflow).
 */
export function criticalPath(steps: readonly DagStep[]): CriticalPath {
  const byKey = new Map(steps.map((step) => [step.key, step]));
  for (const step of steps) {
    if (!(step.durationMs >= 0)) throw new RangeError(`step ${step.key}: duration must be >= 0`);
    for (const dep of step.dependsOn) {
      if (!byKey.has(dep)) throw new RangeError(`step ${step.key} depends on unknown step ${dep}`);
    }
  }
  const finish = new Map<string, number>();
  const via = new Map<string, string | null>();
  for (const key of topologicalOrder(steps)) {
    const step = byKey.get(key)!;
    let start = 0;
    let predecessor: string | null = null;
    for (const dep of [...step.dependsOn].sort()) {
      // Dependencies in key order and a strict comparison: ties keep the smaller key.
      const depFinish = finish.get(dep)!;
      if (predecessor === null || depFinish > start) {
        start = depFinish;
        predecessor = dep;
      }
    }
    finish.set(key, start + step.durationMs);
    via.set(key, predecessor);
  }
  // The step that finishes last ends the path; among equals, the one with more steps
  // before it (zero-length steps still belong on the path), then the smaller key.
  const hops = (key: string): number => {
    let count = 0;
    for (let at = via.get(key) ?? null; at !== null; at = via.get(at) ?? null) count += 1;
    return count;
  };
  let last: string | null = null;
  for (const key of [...finish.keys()].sort()) {
    const better =
      last === null ||
      finish.get(key)! > finish.get(last)! ||
      (finish.get(key) === finish.get(last) && hops(key) > hops(last));
    if (better) last = key;
  }
  const path: string[] = [];
  for (let key = last; key !== null; key = via.get(key) ?? null) path.unshift(key);
  return {
    path,
    lengthMs: last === null ? 0 : finish.get(last)!,
    earliestFinishMs: Object.fromEntries([...finish.entries()].sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** Kahn's algorithm with keys taken in sorted order; throws when a cycle remains. */
export function topologicalOrder(steps: readonly DagStep[]): string[] {
  const indegree = new Map(steps.map((step) => [step.key, step.dependsOn.length]));
  const dependents = new Map<string, string[]>(steps.map((step) => [step.key, []]));
  for (const step of steps) for (const dep of step.dependsOn) dependents.get(dep)?.push(step.key);
  const ready = steps.filter((step) => step.dependsOn.length === 0).map((step) => step.key);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort();
    const key = ready.shift()!;
    order.push(key);
    for (const next of dependents.get(key) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length !== steps.length) {
    const stuck = steps.filter((step) => !order.includes(step.key)).map((step) => step.key);
    throw new RangeError(`workflow has a cycle through ${stuck.sort().join(', ')}`);
  }
  return order;
}

/** The timing a step's job shows: when it ran, or how long it is expected to take. */
export interface StepTiming {
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
  estimatedDurationMs: number | null;
}

/**
 * How long a step counts on the path: its real run time once finished, the time so far while
 * running, otherwise its estimate (0 without one, e.g. a skipped step).
 */
export function stepDurationMs(timing: StepTiming, nowMs: number): number {
  const started = timing.startedAt === null ? null : Date.parse(timing.startedAt);
  if (started !== null && timing.finishedAt !== null)
    return Math.max(0, Date.parse(timing.finishedAt) - started);
  if (started !== null && timing.state === 'running') return Math.max(0, nowMs - started);
  if (timing.finishedAt !== null) return 0;
  return Math.max(0, timing.estimatedDurationMs ?? 0);
}
