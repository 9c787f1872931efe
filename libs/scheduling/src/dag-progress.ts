import { topologicalOrder } from './dag-validation.js';
import type { WorkflowNodeState, WorkflowSpec } from './workflow.types.js';
import { TERMINAL_NODE_STATES } from './workflow.types.js';

export interface WorkflowProgress {
  readonly status: 'running' | 'succeeded' | 'failed';
  /** Pending jobs whose dependencies allow them to start now. */
  readonly ready: readonly string[];
  /** Pending jobs to mark skipped (a parent failed or was skipped on a skip edge). */
  readonly skip: readonly string[];
  /** Pending jobs to cancel because the workflow failed or a parent was cancelled. */
  readonly cancel: readonly string[];
  readonly reason: string;
}

/**
 * Given every job's state, says what happens next. Skips propagate within one call (a
 * skipped job's own dependents are decided in the same pass), so callers need no loop.
 *
 * Edge semantics for a parent that did not succeed: `continue` lets the child run anyway;
 * `skip-dependents` skips the child; `fail-workflow` fails the workflow, cancelling what has
 * not started. A skipped parent skips its children unless the edge says `continue`: the skip
 * was already the author's answer to the upstream failure.
 *
 * The workflow fails when a failed job has a `fail-workflow` edge or has no dependents (its
 * failure reaches no policy that could absorb it); it succeeds once every job is finished.
 */
export function advanceWorkflow(
  spec: WorkflowSpec,
  states: Readonly<Record<string, WorkflowNodeState>>,
): WorkflowProgress {
  const order = topologicalOrder(spec);
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const state = new Map<string, WorkflowNodeState>(spec.nodes.map((n) => [n.id, states[n.id] ?? 'pending']));
  const failure = workflowFailure(spec, state);

  const ready: string[] = [];
  const skip: string[] = [];
  const cancel: string[] = [];
  for (const id of order) {
    if (state.get(id) !== 'pending') continue;
    if (failure) {
      cancel.push(id);
      continue;
    }
    let verdict: 'ready' | 'wait' | 'skip' | 'cancel' = 'ready';
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      const parent = state.get(dep.jobId) ?? 'pending';
      const policy = dep.onFailure ?? 'fail-workflow';
      if (parent === 'cancelled') verdict = 'cancel';
      else if ((parent === 'failed' || parent === 'skipped') && policy !== 'continue' && verdict !== 'cancel')
        verdict = 'skip';
      else if (!TERMINAL_NODE_STATES.has(parent) && verdict === 'ready') verdict = 'wait';
    }
    if (verdict === 'ready') ready.push(id);
    if (verdict === 'skip') {
      skip.push(id);
      state.set(id, 'skipped');
    }
    if (verdict === 'cancel') {
      cancel.push(id);
      state.set(id, 'cancelled');
    }
  }

  if (failure) return { status: 'failed', ready: [], skip: [], cancel, reason: failure };
  const allDone = [...state.values()].every((s) => TERMINAL_NODE_STATES.has(s));
  if (allDone) return { status: 'succeeded', ready, skip, cancel, reason: 'every job finished' };
  return { status: 'running', ready, skip, cancel, reason: `${ready.length} job(s) ready` };
}

function workflowFailure(spec: WorkflowSpec, state: ReadonlyMap<string, WorkflowNodeState>): string | null {
  const hasDependents = new Set<string>();
  for (const node of spec.nodes) {
    for (const dep of node.dependsOn) {
      hasDependents.add(dep.jobId);
      if ((dep.onFailure ?? 'fail-workflow') === 'fail-workflow' && state.get(dep.jobId) === 'failed') {
        return `${dep.jobId} failed and ${node.id} depends on it with fail-workflow`;
      }
    }
  }
  for (const node of spec.nodes) {
    if (state.get(node.id) === 'failed' && !hasDependents.has(node.id))
      return `${node.id} failed with no dependent to absorb it`;
  }
  return null;
}
