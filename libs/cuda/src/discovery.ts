import { loadAddon, type NativeTelemetry } from './native.js';

export interface GpuDeviceInfo {
  index: number;
  name: string;
  uuid: string;
  /** "9.0" for Hopper. */
  computeCapability: string;
  multiProcessors: number;
  totalMemoryBytes: number;
  /** Free device memory at discovery time; null when the query failed. */
  freeMemoryBytes: number | null;
  l2CacheBytes: number;
}

export interface DeviceDiscovery {
  available: boolean;
  /** Why no device is usable (no addon, no driver, no GPU); null when one is. */
  reason: string | null;
  /** "13.0"; null without a driver or addon. */
  driverVersion: string | null;
  runtimeVersion: string | null;
  /** Why NVML telemetry is unavailable; null when it works. */
  nvmlReason: string | null;
  devices: GpuDeviceInfo[];
}

export type DeviceTelemetry = NativeTelemetry;

function version(v: number): string | null {
  return v > 0 ? `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}` : null;
}

/** Lists CUDA devices. Never throws: "no device" comes back with its reason. */
export function discoverDevices(): DeviceDiscovery {
  const load = loadAddon();
  if (!load.addon) {
    return {
      available: false,
      reason: load.reason,
      driverVersion: null,
      runtimeVersion: null,
      nvmlReason: 'addon not loaded',
      devices: [],
    };
  }
  const p = load.addon.probe();
  return {
    available: p.available,
    reason: p.reason,
    driverVersion: version(p.driverVersion),
    runtimeVersion: version(p.runtimeVersion),
    nvmlReason: p.nvml ?? (p.available ? null : 'no device'),
    devices: p.devices.map((d) => ({
      index: d.index,
      name: d.name,
      uuid: d.uuid,
      computeCapability: d.computeCapability,
      multiProcessors: d.multiProcessors,
      totalMemoryBytes: d.totalMemoryBytes,
      freeMemoryBytes: d.freeMemoryBytes,
      l2CacheBytes: d.l2CacheBytes,
    })),
  };
}

/** NVML sample for one device (by UUID); `available: false` with a reason without NVML. */
export function readTelemetry(uuid: string): DeviceTelemetry {
  const load = loadAddon();
  if (!load.addon) return { available: false, reason: load.reason };
  return load.addon.telemetry(uuid);
}
