import type { FleetSnapshot, NodeState, RunningJob } from './snapshot.types.js';

export const HEARTBEAT_TIMEOUT_MS = 5_000;

/** What an operator set on the node; liveness is derived from heartbeats on top of it. */
export type AdminNodeState = Exclude<NodeState, 'lost'>;

/**
 * A node is lost once it has been silent for longer than the timeout; when heartbeats come
 * back it returns to whatever the operator set, so a cordoned node stays cordoned.
 */
export function resolveNodeState(
  adminState: AdminNodeState,
  lastHeartbeatMs: number,
  nowMs: number,
  timeoutMs = HEARTBEAT_TIMEOUT_MS,
): NodeState {
  return nowMs - lastHeartbeatMs > timeoutMs ? 'lost' : adminState;
}

export interface NodeHeartbeatView {
  readonly nodeId: string;
  readonly adminState: AdminNodeState;
  readonly lastHeartbeatMs: number;
  /** The state recorded at the previous check. */
  readonly recordedState: NodeState;
}

export interface NodeTransition {
  readonly nodeId: string;
  readonly from: NodeState;
  readonly to: NodeState;
  readonly reason: string;
}

export function detectNodeTransitions(
  nodes: readonly NodeHeartbeatView[],
  nowMs: number,
  timeoutMs = HEARTBEAT_TIMEOUT_MS,
): NodeTransition[] {
  const transitions: NodeTransition[] = [];
  for (const node of nodes) {
    const next = resolveNodeState(node.adminState, node.lastHeartbeatMs, nowMs, timeoutMs);
    if (next === node.recordedState) continue;
    const silentMs = nowMs - node.lastHeartbeatMs;
    const reason =
      next === 'lost'
        ? `no heartbeat for ${silentMs} ms (limit ${timeoutMs} ms)`
        : node.recordedState === 'lost'
          ? `heartbeat resumed ${silentMs} ms ago`
          : `operator set ${next}`;
    transitions.push({ nodeId: node.nodeId, from: node.recordedState, to: next, reason });
  }
  return transitions.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
}

export interface RequeueOrder {
  readonly jobId: string;
  readonly tenantId: string;
  readonly fromNodeId: string;
  /** The job resumes from its last checkpoint when it has one. */
  readonly resumeFromCheckpointAtMs: number | null;
  readonly reason: string;
}

/** Every job running on a lost node goes back to the queue; none is dropped. */
export function requeueJobsOfLostNodes(
  snapshot: Pick<FleetSnapshot, 'running'>,
  lostNodeIds: readonly string[],
): RequeueOrder[] {
  const lost = new Set(lostNodeIds);
  return snapshot.running
    .filter((job: RunningJob) => lost.has(job.nodeId))
    .map((job) => ({
      jobId: job.jobId,
      tenantId: job.tenantId,
      fromNodeId: job.nodeId,
      resumeFromCheckpointAtMs: job.lastCheckpointAtMs ?? null,
      reason: `node ${job.nodeId} lost`,
    }))
    .sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
}
