import type { NodeHeartbeat } from '@voxelfleet/contracts';

export type NodeLiveness = 'ready' | 'draining' | 'lost';

export interface FleetNodeView {
  nodeId: string;
  hostname: string;
  state: NodeLiveness;
  lastHeartbeatAt: string;
  cpu: NodeHeartbeat['cpu'];
  devices: NodeHeartbeat['devices'];
  runningJobs: number;
}

/** A node is lost once no heartbeat has arrived for `lostAfterMs`, whatever it last said. */
export function livenessOf(
  lastState: NodeHeartbeat['state'],
  receivedAt: number,
  now: number,
  lostAfterMs: number,
): NodeLiveness {
  return now - receivedAt >= lostAfterMs ? 'lost' : lastState;
}
