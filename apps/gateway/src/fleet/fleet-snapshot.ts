import type { HeartbeatDevice } from '@voxelfleet/contracts';
import type { DeviceSnapshot, NodeSnapshot, RunningJob } from '@voxelfleet/scheduling';
import type { NodeView } from './node-view.js';

/**
 * A device's id within its node, as the scheduler writes it into `jobs.device_ids` (the
 * device index), so running jobs and snapshot devices name the same thing.
 */
export function deviceIdOf(_nodeId: string, device: Pick<HeartbeatDevice, 'index'>): string {
  return String(device.index);
}

/**
 * The scheduler's view of a node, built from its latest report and the operator's state.
 * Free VRAM is the smaller of what the node reports free and its pool capacity minus what
 * placed and running jobs reserved on the device: a job placed but not yet allocated still
 * counts, and so does memory held outside any job.
 */
export function nodeSnapshotOf(view: NodeView, running: readonly RunningJob[] = []): NodeSnapshot {
  const onNode = running.filter((job) => job.nodeId === view.nodeId);
  const devices: DeviceSnapshot[] = view.devices
    .filter((device) => device.healthy !== false)
    .map((device) => {
      const id = deviceIdOf(view.nodeId, device);
      const reported = device.pool
        ? Math.min(device.memoryFreeBytes, device.pool.capacityBytes - device.pool.allocatedBytes)
        : device.memoryFreeBytes;
      const reserved = onNode
        .filter((job) => job.deviceIds.includes(id))
        .reduce((sum, job) => sum + job.vramBytesPerDevice, 0);
      const capacity = device.pool?.capacityBytes ?? device.memoryTotalBytes;
      return {
        id,
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
        freeVramBytes: Math.max(0, Math.min(reported, capacity - reserved)),
        utilization: device.telemetry?.utilization ?? 0,
        temperatureC: device.telemetry?.temperatureC ?? 0,
        throttling: device.telemetry?.throttling ?? false,
      };
    });
  const slots = view.cpu?.slots;
  const cpuJobs = onNode.filter((job) => job.deviceIds.length === 0).length;
  return {
    id: view.nodeId,
    state: view.state,
    devices,
    ...(slots
      ? { cpuSlots: { total: slots.total, free: Math.max(0, Math.min(slots.free, slots.total - cpuJobs)) } }
      : {}),
  };
}
