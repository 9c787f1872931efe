import type { EdgeFailurePolicy, WorkflowNode, WorkflowSpec } from '../workflow.types.js';

/** `node('c', ['a', 'b'])` or `node('c', [['a', 'continue']])`; estimates in ms. */
export function node(
  id: string,
  deps: readonly (string | readonly [string, EdgeFailurePolicy])[] = [],
  estimatedDurationMs?: number,
): WorkflowNode {
  return {
    id,
    dependsOn: deps.map((d) => (typeof d === 'string' ? { jobId: d } : { jobId: d[0], onFailure: d[1] })),
    ...(estimatedDurationMs === undefined ? {} : { estimatedDurationMs }),
  };
}

export function workflow(...nodes: WorkflowNode[]): WorkflowSpec {
  return { nodes };
}
