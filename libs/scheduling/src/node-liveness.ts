import type { FleetSnapshot, NodeState, RunningJob } from './snapshot.types.js';

export const HEARTBEAT_TIMEOUT_MS = 5_000;

/** What an operator set on the node; liveness is derived from heartbeats on top of it. */
export type AdminNodeState = Exclude<NodeState, 'lost'>;

/**
 * How much longer than the timeout a node may stay silent by the clock alone while no node's
 * heartbeat arrived either (see `isSilent`).
 */
export const STALL_FACTOR = 4;

/**
 * Whether a node has been silent past the timeout. With `freshestMs` (the latest heartbeat
 * received from any node), silence is measured up to that heartbeat rather than to now: a
 * receiver that stalled (a long pass, a collection, a backlog of messages not yet read) sees
 * every node late at once, and declaring them all lost would requeue a healthy fleet. While
 * other nodes' heartbeats arrive the two measures agree; a fleet gone silent altogether is
 * lost after STALL_FACTOR times the timeout by the clock.
 */
export function isSilent(
  lastHeartbeatMs: number,
  nowMs: number,
  timeoutMs: number,
  freshestMs?: number,
): boolean {
  if (freshestMs === undefined) return nowMs - lastHeartbeatMs > timeoutMs;
  return (
    Math.min(nowMs, freshestMs) - lastHeartbeatMs > timeoutMs ||
    nowMs - lastHeartbeatMs > STALL_FACTOR * timeoutMs
  );
}

/**
 * A node is lost once it has been silent for longer than the timeout; when heartbeats come
 * back it returns to whatever the operator set, so a cordoned node stays cordoned.
 */
export function resolveNodeState(
  adminState: AdminNodeState,
  lastHeartbeatMs: number,
  nowMs: number,
  timeoutMs = HEARTBEAT_TIMEOUT_MS,
  freshestMs?: number,
): NodeState {
  return isSilent(lastHeartbeatMs, nowMs, timeoutMs, freshestMs) ? 'lost' : adminState;
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

/**
 * More than this share of the fleet silent at once (and more than one node) reads as a fault
 * of the heartbeat path (a relay, the network, Redis, this receiver) rather than of the nodes:
 * none of them is newly declared lost before STALL_FACTOR times the timeout by the clock.
 */
export const MASS_SILENCE_SHARE = 0.1;

export function detectNodeTransitions(
  nodes: readonly NodeHeartbeatView[],
  nowMs: number,
  timeoutMs = HEARTBEAT_TIMEOUT_MS,
  freshestMs?: number,
): NodeTransition[] {
  const transitions: NodeTransition[] = [];
  let silent = 0;
  if (freshestMs !== undefined) {
    for (const node of nodes) if (isSilent(node.lastHeartbeatMs, nowMs, timeoutMs, freshestMs)) silent += 1;
  }
  const mass = silent > Math.max(1, MASS_SILENCE_SHARE * nodes.length);
  for (const node of nodes) {
    let next = resolveNodeState(node.adminState, node.lastHeartbeatMs, nowMs, timeoutMs, freshestMs);
    if (
      mass &&
      next === 'lost' &&
      node.recordedState !== 'lost' &&
      nowMs - node.lastHeartbeatMs <= STALL_FACTOR * timeoutMs
    )
      next = node.recordedState;
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
