import type { HeartbeatDevice, NodeHeartbeat } from '@voxelfleet/contracts';
import type { NodeControlRecord } from '@voxelfleet/persistence';
import { nodeStateOf, type NodeState } from '@voxelfleet/scheduling';
import { nodeReportOf } from './fleet-snapshot.js';

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
 * Merges what the node last said with what the operator set, by the fleet picture's rules
 * (libs/scheduling `nodeStateOf`): a silent node is lost whatever else is true; otherwise a
 * cordon or drain set by an operator wins over the node's own report, and `ready` set by an
 * operator (uncordon) defers to a node that drains itself. Silence is measured by the clock.
 */
export function nodeViewOf(
  record: HeartbeatRecord | undefined,
  control: NodeControlRecord | undefined,
  nowMs: number,
  lostAfterMs: number,
): NodeView {
  const heartbeat = record?.heartbeat;
  const nodeId = heartbeat?.nodeId ?? control?.nodeId ?? '';
  const state = nodeStateOf(nodeReportOf(nodeId, record, control), nowMs, lostAfterMs);
  return {
    nodeId,
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
