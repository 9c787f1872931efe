import { classifyProbe, cudaVersion, type DiscoveryState } from './discovery-state.js';
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
  /** The cause in one word (`no-device`, `no-driver`, `addon-not-built`, ...); `ready` with devices. */
  state: DiscoveryState;
  /** Why no device is usable, starting with the cause in words ("no driver: ..."); null when one is. */
  reason: string | null;
  /** Whether the addon loaded, and from where (null when no place could be named). */
  addon: { loaded: boolean; path: string | null };
  /** "13.0"; null without a driver or addon. */
  driverVersion: string | null;
  runtimeVersion: string | null;
  /** Why NVML telemetry is unavailable; null when it works. */
  nvmlReason: string | null;
  devices: GpuDeviceInfo[];
}

export type DeviceTelemetry = NativeTelemetry;

/** Lists CUDA devices. Never throws: "no device" comes back with its reason. */
export function discoverDevices(): DeviceDiscovery {
  const load = loadAddon();
  if (!load.addon) {
    return {
      available: false,
      state: load.state,
      reason: load.reason,
      addon: { loaded: false, path: load.path },
      driverVersion: null,
      runtimeVersion: null,
      nvmlReason: 'addon not loaded',
      devices: [],
    };
  }
  const p = load.addon.probe();
  const verdict = classifyProbe(p);
  return {
    available: p.available,
    state: verdict.state,
    reason: verdict.reason,
    addon: { loaded: true, path: load.path },
    driverVersion: cudaVersion(p.driverVersion),
    runtimeVersion: cudaVersion(p.runtimeVersion),
    nvmlReason: p.nvml ?? verdict.reason,
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
