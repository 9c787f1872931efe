import type { HeartbeatDevice, NodeHeartbeat } from '@voxelfleet/contracts';
import type { NodeControlRecord } from '@voxelfleet/persistence';
import type { NodeState } from '@voxelfleet/scheduling';

/** The latest heartbeat of a node and when this gateway first and last heard from it. */
export interface HeartbeatRecord {
  heartbeat: NodeHeartbeat;
  firstSeenAtMs: number;
  receivedAtMs: number;
}

export interface NodeView {
  nodeId: string;
  hostname: string | null;
  /** ready, draining, cordoned or lost: liveness first, then the operator's state, then the node's. */
  state: NodeState;
  /** What the operator set at the gateway, if anything. */
  control: {
    state: NodeControlRecord['state'];
    reason: string | null;
    updatedAt: string;
    updatedBy: string | null;
  } | null;
  /** What the node itself reports (a node drains itself on shutdown). */
  reportedState: NodeHeartbeat['state'] | null;
  registeredAt: string | null;
  lastHeartbeatAt: string | null;
  heartbeatAgeMs: number | null;
  cpu: NodeHeartbeat['cpu'] | null;
  devices: HeartbeatDevice[];
  runningJobs: number;
  fallbacks: number;
}

/**
 * Merges what the node last said with what the operator set. A silent node is lost whatever
 * else is true; otherwise a cordon or drain set by an operator wins over the node's own
 * report, and `ready` set by an operator (uncordon) defers to a node that drains itself.
 */
export function nodeViewOf(
  record: HeartbeatRecord | undefined,
  control: NodeControlRecord | undefined,
  nowMs: number,
  lostAfterMs: number,
): NodeView {
  const heartbeat = record?.heartbeat;
  const silent = record === undefined || nowMs - record.receivedAtMs > lostAfterMs;
  let state: NodeState;
  if (silent) state = 'lost';
  else if (control !== undefined && control.state !== 'ready') state = control.state;
  else state = heartbeat?.state ?? 'ready';
  return {
    nodeId: heartbeat?.nodeId ?? control?.nodeId ?? '',
    hostname: heartbeat?.hostname ?? null,
    state,
    control:
      control === undefined
        ? null
        : {
            state: control.state,
            reason: control.reason,
            updatedAt: control.updatedAt.toISOString(),
            updatedBy: control.updatedBy,
          },
    reportedState: heartbeat?.state ?? null,
    registeredAt: record ? new Date(record.firstSeenAtMs).toISOString() : null,
    lastHeartbeatAt: record ? new Date(record.receivedAtMs).toISOString() : null,
    heartbeatAgeMs: record ? Math.max(0, nowMs - record.receivedAtMs) : null,
    cpu: heartbeat?.cpu ?? null,
    devices: heartbeat?.devices ?? [],
    runningJobs: heartbeat?.runningJobs ?? 0,
    fallbacks: heartbeat?.fallbacks ?? 0,
  };
}
