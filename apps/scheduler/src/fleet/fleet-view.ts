import type { NodeHeartbeat } from '@voxelfleet/contracts';
import type { AdminNodeState, BreakerState, NodeReport, NodeState } from '@voxelfleet/scheduling';

/**
 * What the scheduler knows about one node: its last heartbeat and the operator's say, as the
 * fleet picture (libs/scheduling fleet-picture.ts) reads them, and the state last recorded.
 */
export interface NodeRecord extends NodeReport {
  nodeId: string;
  heartbeat: NodeHeartbeat;
  /** Scheduler clock when the last heartbeat arrived (node clocks are not trusted). */
  receivedAtMs: number;
  /** Operator state from node_controls; the node's own "draining" is folded in by adminStateOf. */
  control: AdminNodeState;
  /** State as of the last liveness check; `lost` stays until a heartbeat comes back. */
  recordedState: NodeState;
  breaker?: BreakerState;
}

export interface FleetNodeView {
  nodeId: string;
  hostname: string;
  state: NodeState;
  lastHeartbeatAt: string;
  cpu: NodeHeartbeat['cpu'];
  devices: NodeHeartbeat['devices'];
  runningJobs: number;
  breaker?: BreakerState;
}
