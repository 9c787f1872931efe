import type { NodeHeartbeat } from '@voxelfleet/contracts';
import type { NodeControlRecord } from '@voxelfleet/persistence';
import type { NodeReport } from '@voxelfleet/scheduling';
import type { HeartbeatRecord } from './node-view.js';

/**
 * What the gateway knows of a node, in the shape the fleet picture reads (libs/scheduling
 * fleet-picture.ts): the rules that turn it into nodes, devices and room live there alone, so
 * simulate and submission see the fleet as the scheduler's passes do.
 */
export function nodeReportOf(
  nodeId: string,
  record: HeartbeatRecord | undefined,
  control: Pick<NodeControlRecord, 'state'> | undefined,
): NodeReport {
  return {
    nodeId,
    ...(record ? { heartbeat: record.heartbeat, receivedAtMs: record.receivedAtMs } : {}),
    ...(control ? { control: control.state } : {}),
  };
}

/** A row of the nodes table (as the scheduler leader writes it), as a report. */
export function storedNodeReport(row: {
  id: string;
  last_heartbeat_at: Date;
  heartbeat: NodeHeartbeat;
}): NodeReport {
  return { nodeId: row.id, heartbeat: row.heartbeat, receivedAtMs: row.last_heartbeat_at.getTime() };
}
