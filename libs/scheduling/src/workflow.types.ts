/** What happens to a dependent when its parent fails (or is skipped). */
export type EdgeFailurePolicy = 'fail-workflow' | 'skip-dependents' | 'continue';

export interface WorkflowDependency {
  readonly jobId: string;
  /** Defaults to `fail-workflow`: the safe choice when the author did not say. */
  readonly onFailure?: EdgeFailurePolicy;
}

export interface WorkflowNode {
  readonly id: string;
  readonly dependsOn: readonly WorkflowDependency[];
  readonly estimatedDurationMs?: number;
  /** Durations of past runs of the same step; when present they outweigh the estimate. */
  readonly historyDurationsMs?: readonly number[];
}

export interface WorkflowSpec {
  readonly nodes: readonly WorkflowNode[];
}

export type WorkflowNodeState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export const TERMINAL_NODE_STATES: ReadonlySet<WorkflowNodeState> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
]);
