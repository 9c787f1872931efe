import type { HeartbeatDevice } from '@voxelfleet/contracts';
import type { DeviceSnapshot, NodeSnapshot } from '@voxelfleet/scheduling';
import type { NodeView } from './node-view.js';

/** A device's id in snapshots and placements: stable, and readable in a simulate answer. */
export function deviceIdOf(nodeId: string, device: Pick<HeartbeatDevice, 'index'>): string {
  return `${nodeId}/gpu${device.index}`;
}

/** The scheduler's view of a node, built from its latest report and the operator's state. */
export function nodeSnapshotOf(view: NodeView): NodeSnapshot {
  const devices: DeviceSnapshot[] = view.devices
    .filter((device) => device.healthy !== false)
    .map((device) => {
      const poolFree = device.pool ? device.pool.capacityBytes - device.pool.allocatedBytes : Infinity;
      return {
        id: deviceIdOf(view.nodeId, device),
        capability: {
          vendor: device.capability?.vendor ?? 'nvidia',
          architecture: device.capability?.architecture ?? 'unknown',
          ...(device.capability?.computeCapability
            ? { computeCapability: device.capability.computeCapability }
            : {}),
          memoryBytes: device.memoryTotalBytes,
          precisions: device.capability?.precisions ?? [],
          tensorCores: device.capability?.tensorCores ?? false,
        },
        freeVramBytes: Math.max(0, Math.min(device.memoryFreeBytes, poolFree)),
        utilization: device.telemetry?.utilization ?? 0,
        temperatureC: device.telemetry?.temperatureC ?? 0,
        throttling: device.telemetry?.throttling ?? false,
      };
    });
  const slots = view.cpu?.slots;
  return {
    id: view.nodeId,
    state: view.state,
    devices,
    ...(slots ? { cpuSlots: { total: slots.total, free: slots.free } } : {}),
  };
}
