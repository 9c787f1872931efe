/**
 * Loads voxelfleet_cuda.node and types its surface. Loading never throws: a missing or
 * unloadable addon is reported as a reason, and the CPU paths carry on.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateAddon, PACKAGE_NAME, type AddonLocation } from './addon-path.js';
import type { DiscoveryState } from './discovery-state.js';

export interface NativeDevice {
  index: number;
  name: string;
  uuid: string;
  computeCapability: string;
  major: number;
  minor: number;
  multiProcessors: number;
  totalMemoryBytes: number;
  freeMemoryBytes: number | null;
  l2CacheBytes: number;
  sharedMemPerBlockOptin: number;
  pciBusId: number;
}

export interface NativeProbe {
  available: boolean;
  reason: string | null;
  driverVersion: number;
  runtimeVersion: number;
  nvml?: string | null;
  devices: NativeDevice[];
}

export interface NativeTelemetry {
  available: boolean;
  reason: string | null;
  utilizationGpuPct?: number | null;
  utilizationMemoryPct?: number | null;
  temperatureC?: number | null;
  powerW?: number | null;
  powerLimitW?: number | null;
  smClockMHz?: number | null;
  memClockMHz?: number | null;
  memoryUsedBytes?: number | null;
  memoryTotalBytes?: number | null;
  xidErrors?: string;
}

export interface GpuTiming {
  /** Device time between events around the operation, milliseconds. */
  gpuMs: number;
}

/** Built-in kernel names the addon's `launch` knows. */
export type NativeKernel =
  | 'noop'
  | 'saxpy'
  | 'reduce.sum'
  | 'scan.exclusive'
  | 'matmul.f32'
  | 'motion.diff'
  | 'voxel.evidence'
  | 'mask.scatter'
  | 'motion.background'
  | 'fill.u32'
  | 'count.ne.u32';

export interface NativeAddon {
  probe(): NativeProbe;
  telemetry(uuid: string): NativeTelemetry;
  createStream(device: number): number;
  destroyStream(device: number, stream: number): void;
  synchronize(device: number): void;
  mallocSlab(device: number, bytes: number): number;
  freeSlab(device: number, ptr: number): void;
  zeroRanges(device: number, ptrs: Float64Array, lens: Float64Array): void;
  rawMallocFree(device: number, bytes: number): void;
  memInfo(device: number): { freeBytes: number; totalBytes: number };
  upload(
    device: number,
    stream: number,
    dst: number,
    src: ArrayBufferView,
    timeoutMs: number,
  ): Promise<GpuTiming>;
  download(
    device: number,
    stream: number,
    src: number,
    bytes: number,
    timeoutMs: number,
  ): Promise<GpuTiming & { value: ArrayBuffer }>;
  copy(
    device: number,
    stream: number,
    dst: number,
    src: number,
    bytes: number,
    repeats: number,
    timeoutMs: number,
  ): Promise<GpuTiming>;
  launch(
    name: NativeKernel,
    device: number,
    stream: number,
    timeoutMs: number,
    repeats: number,
    args: number[],
  ): Promise<GpuTiming>;
  scratchBytes(name: NativeKernel, n: number, device: number): number;
  loadModule(device: number, ptx: string): number;
  getFunction(module: number, entry: string): { id: number; maxThreadsPerBlock: number; registers: number };
  unloadModule(module: number): void;
  launchCustom(
    device: number,
    stream: number,
    fn: number,
    grid: [number, number, number],
    block: [number, number, number],
    sharedBytes: number,
    params: Uint8Array,
    offsets: Uint32Array,
    timeoutMs: number,
  ): Promise<GpuTiming>;
}

export type AddonLoad =
  | { addon: NativeAddon; path: string }
  | { addon: null; path: string | null; state: AddonFailure; reason: string };

export type AddonFailure = Extract<
  DiscoveryState,
  'addon-not-built' | 'addon-not-found' | 'addon-failed-to-load'
>;

let cached: AddonLoad | undefined;

/** Loads the addon at `location` (see locateAddon); never throws. */
export function loadAddonAt(location: AddonLocation): AddonLoad {
  if (location.path === null) {
    return {
      addon: null,
      path: null,
      state: 'addon-not-found',
      reason: `addon not found: no ${PACKAGE_NAME} package.json at or above ${location.searchedFrom} and VOXELFLEET_CUDA_ADDON is unset`,
    };
  }
  const { path } = location;
  if (!existsSync(path)) {
    return location.source === 'override'
      ? {
          addon: null,
          path,
          state: 'addon-failed-to-load',
          reason: `failed to load: VOXELFLEET_CUDA_ADDON names ${path}, which does not exist`,
        }
      : {
          addon: null,
          path,
          state: 'addon-not-built',
          reason: `addon not built: ${path} does not exist (npm ci builds it where nvcc is on PATH; npm run build:cuda)`,
        };
  }
  try {
    const require = createRequire(import.meta.url);
    return { addon: require(path) as NativeAddon, path };
  } catch (e) {
    return {
      addon: null,
      path,
      state: 'addon-failed-to-load',
      reason: `failed to load: ${path}: ${(e as Error).message}`,
    };
  }
}

/**
 * Loads the addon once: `VOXELFLEET_CUDA_ADDON` when set (bundles), else
 * `<package root>/libs/cuda/build/Release/voxelfleet_cuda.node`.
 */
export function loadAddon(): AddonLoad {
  cached ??= loadAddonAt(
    locateAddon(process.env.VOXELFLEET_CUDA_ADDON, dirname(fileURLToPath(import.meta.url))),
  );
  return cached;
}
