import type { HeartbeatDevice, NodeHeartbeat } from '@voxelfleet/contracts';
import type {
  AdminNodeState,
  BreakerState,
  DeviceSnapshot,
  NodeSnapshot,
  NodeState,
  RunningJob,
} from '@voxelfleet/scheduling';

/** What the scheduler knows about one node: its last heartbeat and the operator's say. */
export interface NodeRecord {
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

/** A cordon by the operator wins; otherwise a node that says it is draining is draining. */
export function adminStateOf(record: Pick<NodeRecord, 'control' | 'heartbeat'>): AdminNodeState {
  if (record.control !== 'ready') return record.control;
  return record.heartbeat.state === 'draining' ? 'draining' : 'ready';
}

export function deviceId(index: number): string {
  return String(index);
}

/**
 * The decision logic's view of a node. Free VRAM and CPU slots are what the node offers
 * less what this scheduler has already placed there: a heartbeat lags behind placements, so
 * trusting its free figures would hand the same room out twice.
 */
export function toNodeSnapshot(
  record: NodeRecord,
  state: NodeState,
  active: readonly RunningJob[],
): NodeSnapshot {
  const onNode = active.filter((job) => job.nodeId === record.nodeId);
  const devices = record.heartbeat.devices
    .filter((device) => device.healthy !== false && device.capability !== undefined)
    .map((device) => toDeviceSnapshot(device, onNode));
  const slots = record.heartbeat.cpu.slots ?? {
    total: record.heartbeat.cpu.cores,
    free: record.heartbeat.cpu.cores,
  };
  const cpuJobs = onNode.filter((job) => job.deviceIds.length === 0).length;
  return {
    id: record.nodeId,
    state,
    devices,
    cpuSlots: { total: slots.total, free: Math.max(0, slots.total - cpuJobs) },
    ...(record.breaker ? { breaker: record.breaker } : {}),
  };
}

function toDeviceSnapshot(device: HeartbeatDevice, onNode: readonly RunningJob[]): DeviceSnapshot {
  const id = deviceId(device.index);
  const capability = device.capability;
  const capacity = device.pool?.capacityBytes ?? device.memoryTotalBytes;
  const reserved = onNode
    .filter((job) => job.deviceIds.includes(id))
    .reduce((sum, job) => sum + job.vramBytesPerDevice, 0);
  return {
    id,
    capability: {
      vendor: capability?.vendor ?? 'unknown',
      architecture: capability?.architecture ?? 'unknown',
      ...(capability?.computeCapability ? { computeCapability: capability.computeCapability } : {}),
      memoryBytes: device.memoryTotalBytes,
      precisions: [...(capability?.precisions ?? [])],
      tensorCores: capability?.tensorCores ?? false,
    },
    freeVramBytes: Math.max(0, capacity - reserved),
    utilization: device.telemetry?.utilization ?? 0,
    temperatureC: device.telemetry?.temperatureC ?? 0,
    throttling: device.telemetry?.throttling ?? false,
  };
}
