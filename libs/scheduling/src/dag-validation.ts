import type { WorkflowSpec } from './workflow.types.js';

export type WorkflowErrorCode =
  'empty' | 'duplicate-id' | 'unknown-dependency' | 'duplicate-dependency' | 'cycle';

export interface WorkflowError {
  readonly code: WorkflowErrorCode;
  readonly message: string;
  /** For a cycle, the jobs around it with the first repeated at the end. */
  readonly cycle?: readonly string[];
}

export type WorkflowValidation =
  | { readonly ok: true; readonly order: readonly string[] }
  | { readonly ok: false; readonly errors: readonly WorkflowError[] };

/**
 * Checks a submitted DAG and, when it is valid, returns a topological order. Ties in the
 * order follow submission order, so the same workflow always yields the same order.
 */
export function validateWorkflow(spec: WorkflowSpec): WorkflowValidation {
  const errors: WorkflowError[] = [];
  if (spec.nodes.length === 0) errors.push({ code: 'empty', message: 'a workflow needs at least one job' });
  const ids = new Set<string>();
  for (const node of spec.nodes) {
    if (ids.has(node.id))
      errors.push({ code: 'duplicate-id', message: `job id ${node.id} appears more than once` });
    ids.add(node.id);
  }
  for (const node of spec.nodes) {
    const seen = new Set<string>();
    for (const dep of node.dependsOn) {
      if (!ids.has(dep.jobId)) {
        errors.push({
          code: 'unknown-dependency',
          message: `${node.id} depends on unknown job ${dep.jobId}`,
        });
      }
      if (seen.has(dep.jobId)) {
        errors.push({ code: 'duplicate-dependency', message: `${node.id} lists ${dep.jobId} twice` });
      }
      seen.add(dep.jobId);
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const cycle = findCycle(spec);
  if (cycle) {
    return { ok: false, errors: [{ code: 'cycle', message: `cycle: ${cycle.join(' → ')}`, cycle }] };
  }
  return { ok: true, order: topologicalOrder(spec) };
}

/** Depth-first search in submission order; the first back edge found names the cycle. */
function findCycle(spec: WorkflowSpec): string[] | null {
  const parents = new Map(spec.nodes.map((n) => [n.id, n.dependsOn.map((d) => d.jobId)]));
  const index = new Map(spec.nodes.map((n, i) => [n.id, i]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'open');
    stack.push(id);
    for (const parent of parents.get(id) ?? []) {
      const seen = state.get(parent);
      if (seen === 'open') {
        // The stack runs child → parent; reverse it so the cycle reads in run order.
        const around = stack.slice(stack.indexOf(parent)).reverse();
        // Start at the earliest-submitted job so the same cycle is always named the same way.
        const first = around.reduce((best, id) =>
          (index.get(id) ?? 0) < (index.get(best) ?? 0) ? id : best,
        );
        const rotated = [...around.slice(around.indexOf(first)), ...around.slice(0, around.indexOf(first))];
        return [...rotated, first];
      }
      if (seen === undefined) {
        const found = visit(parent);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const node of spec.nodes) {
    if (state.has(node.id)) continue;
    const found = visit(node.id);
    if (found) return found;
  }
  return null;
}

/** Kahn's algorithm, always releasing the earliest-submitted ready job first. */
export function topologicalOrder(spec: WorkflowSpec): string[] {
  const index = new Map(spec.nodes.map((n, i) => [n.id, i]));
  const remaining = new Map(spec.nodes.map((n) => [n.id, new Set(n.dependsOn.map((d) => d.jobId)).size]));
  const children = new Map<string, string[]>();
  for (const node of spec.nodes) {
    for (const parent of new Set(node.dependsOn.map((d) => d.jobId))) {
      children.set(parent, [...(children.get(parent) ?? []), node.id]);
    }
  }
  const ready = spec.nodes.filter((n) => remaining.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0));
    const next = ready.shift() as string;
    order.push(next);
    for (const child of children.get(next) ?? []) {
      const left = (remaining.get(child) ?? 0) - 1;
      remaining.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (order.length !== spec.nodes.length) throw new Error('workflow has a cycle; validate it first');
  return order;
}
