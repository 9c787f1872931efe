import { firstUnmetTerm, describeTerm, type DeviceClass } from './device-class.js';
import type { DeviceSnapshot, JobSpec } from './snapshot.types.js';
import { formatBytes } from './units.js';

/**
 * Whether a device could ever host one share of the job, ignoring what it is doing now:
 * the device class holds and its total memory covers the per-device VRAM. Returns the reason
 * it cannot, or null.
 */
export function staticMismatch(
  device: DeviceSnapshot,
  job: Pick<JobSpec, 'vramBytesPerDevice'>,
  deviceClass: DeviceClass | null,
): string | null {
  if (deviceClass) {
    const unmet = firstUnmetTerm(deviceClass, device.capability);
    if (unmet) return `${device.id} fails ${describeTerm(unmet)}`;
  }
  if (device.capability.memoryBytes < job.vramBytesPerDevice) {
    return `${device.id} has ${formatBytes(device.capability.memoryBytes)} in all, job needs ${formatBytes(job.vramBytesPerDevice)}`;
  }
  return null;
}
