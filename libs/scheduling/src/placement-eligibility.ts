import { breakerAllowsPlacement } from './circuit-breaker.js';
import { staticMismatch } from './device-eligibility.js';
import type { Exclusion, PlacementOptions } from './placement.types.js';
import type { DeviceSnapshot, JobSpec, NodeSnapshot } from './snapshot.types.js';
import { formatBytes } from './units.js';

/** Why a node takes no new work now, or null when it may. */
export function nodeExclusion(node: NodeSnapshot, job: JobSpec, options: PlacementOptions): string | null {
  const wanted = job.affinity?.nodeId;
  if (wanted !== undefined && wanted !== node.id) return `job is pinned to node ${wanted}`;
  if (node.state !== 'ready') return `node is ${node.state}`;
  if (!breakerAllowsPlacement(node.breaker, options.nowMs, options.breaker))
    return 'node circuit breaker is open';
  return null;
}

/**
 * Why a device on an eligible node cannot take one share of the job. `freeVramBytes` may be
 * raised by the caller to ask "would it fit once these victims are gone".
 */
export function deviceExclusion(
  device: DeviceSnapshot,
  job: JobSpec,
  options: PlacementOptions,
  freeVramBytes: number = device.freeVramBytes,
): string | null {
  const mismatch = staticMismatch(device, job, options.deviceClass);
  if (mismatch) return mismatch;
  if (!breakerAllowsPlacement(device.breaker, options.nowMs, options.breaker))
    return 'device circuit breaker is open';
  if (freeVramBytes < job.vramBytesPerDevice) {
    return `${formatBytes(freeVramBytes)} free, job needs ${formatBytes(job.vramBytesPerDevice)}`;
  }
  return null;
}

/** Devices of `node` able to take one share of the job now, plus why the others are not. */
export function eligibleDevices(
  node: NodeSnapshot,
  job: JobSpec,
  options: PlacementOptions,
): { readonly devices: DeviceSnapshot[]; readonly exclusions: Exclusion[] } {
  const devices: DeviceSnapshot[] = [];
  const exclusions: Exclusion[] = [];
  for (const device of node.devices) {
    const reason = deviceExclusion(device, job, options);
    if (reason) exclusions.push({ nodeId: node.id, deviceId: device.id, reason });
    else devices.push(device);
  }
  return { devices, exclusions };
}
