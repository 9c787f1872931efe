import {
  advanceWorkflow,
  criticalPath,
  TERMINAL_NODE_STATES,
  type EdgeFailurePolicy,
  type WorkflowNodeState,
  type WorkflowSpec,
} from '@voxelfleet/scheduling';
import { QUEUED_JOB_STATES, type JobState } from '@voxelfleet/contracts';
import type { EntityManager } from 'typeorm';

interface StepRow {
  id: string;
  state: JobState;
  estimated_duration_ms: number | null;
}

interface EdgeRow {
  parent_job_id: string;
  child_job_id: string;
  on_failure: EdgeFailurePolicy;
}

/** A job's state as the workflow logic sees it. */
export function workflowNodeState(jobState: JobState): WorkflowNodeState {
  switch (jobState) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
    case 'expired':
      return 'failed';
    case 'skipped':
      return 'skipped';
    case 'cancelled':
      return 'cancelled';
    case 'waiting':
      return 'pending';
    default:
      return 'running';
  }
}

/** A job state as a query parameter: a misspelt state is a compile error, not a silent no-op. */
const state = (name: JobState): JobState => name;

export interface WorkflowAdvance {
  released: number;
  status: 'running' | 'succeeded' | 'failed';
}

/**
 * After one of a workflow's jobs finished: release the dependents that may now run
 * (`waiting` → `submitted`), skip or cancel per edge policy, move the critical-path boost to
 * what now sets the end, and close the workflow once it is decided. Runs under a row lock on
 * the workflow so two reports finishing siblings at once cannot both miss the fan-in.
 */
export async function advanceStoredWorkflow(
  manager: EntityManager,
  workflowId: string,
): Promise<WorkflowAdvance> {
  const locked: { state: string }[] = await manager.query(
    `SELECT state FROM workflows WHERE id = $1 FOR UPDATE`,
    [workflowId],
  );
  if (locked[0]?.state !== 'running') return { released: 0, status: 'running' };
  const steps: StepRow[] = await manager.query(
    `SELECT id, state, estimated_duration_ms FROM jobs WHERE workflow_id = $1`,
    [workflowId],
  );
  const edges: EdgeRow[] = await manager.query(
    `SELECT parent_job_id, child_job_id, on_failure FROM workflow_edges WHERE workflow_id = $1`,
    [workflowId],
  );
  const spec: WorkflowSpec = {
    nodes: steps.map((step) => ({
      id: step.id,
      dependsOn: edges
        .filter((e) => e.child_job_id === step.id)
        .map((e) => ({ jobId: e.parent_job_id, onFailure: e.on_failure })),
      ...(step.estimated_duration_ms === null ? {} : { estimatedDurationMs: step.estimated_duration_ms }),
    })),
  };
  const states = Object.fromEntries(steps.map((s) => [s.id, workflowNodeState(s.state)]));
  const progress = advanceWorkflow(spec, states);

  if (progress.ready.length > 0) {
    await manager.query(
      `UPDATE jobs SET state = $2, state_reason = 'dependencies finished', submitted_at = clock_timestamp()
        WHERE id = ANY($1::uuid[]) AND state = $3`,
      [progress.ready, state('submitted'), state('waiting')],
    );
  }
  if (progress.skip.length > 0) {
    await manager.query(
      `UPDATE jobs SET state = $2, state_reason = 'a dependency did not succeed (skip-dependents)',
              finished_at = clock_timestamp()
        WHERE id = ANY($1::uuid[]) AND state = $3`,
      [progress.skip, state('skipped'), state('waiting')],
    );
  }
  if (progress.cancel.length > 0) {
    await manager.query(
      `UPDATE jobs SET state = $3, state_reason = $2, finished_at = clock_timestamp()
        WHERE id = ANY($1::uuid[]) AND state = ANY($4::text[])`,
      [progress.cancel, `workflow: ${progress.reason}`, state('cancelled'), QUEUED_JOB_STATES],
    );
  }
  if (progress.status !== 'running') {
    await manager.query(
      `UPDATE workflows SET state = $2, reason = $3, finished_at = clock_timestamp() WHERE id = $1`,
      [workflowId, progress.status, progress.reason],
    );
  } else {
    await boostCriticalPath(manager, workflowId, spec, states);
  }
  return { released: progress.ready.length, status: progress.status };
}

/** The critical path over the work that remains; its jobs get a priority boost. */
export async function boostCriticalPath(
  manager: EntityManager,
  workflowId: string,
  spec: WorkflowSpec,
  states: Readonly<Record<string, WorkflowNodeState>>,
): Promise<void> {
  const finished = new Set(
    Object.entries(states)
      .filter(([, s]) => TERMINAL_NODE_STATES.has(s))
      .map(([id]) => id),
  );
  const path = criticalPath(spec, { finished });
  const ids = spec.nodes.map((n) => n.id);
  await manager.query(
    `UPDATE jobs j SET boost = b.boost FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::int[]) AS boost) AS b
      WHERE j.id = b.id AND j.boost <> b.boost`,
    [ids, ids.map((id) => path.boosts[id] ?? 0)],
  );
  await manager.query(`UPDATE workflows SET critical_path = $2 WHERE id = $1`, [workflowId, [...path.path]]);
}
