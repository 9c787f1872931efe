/**
 * Why a node has no usable GPU, in words an operator can act on. The addon reports the CUDA
 * runtime's own error; these rules name the cause it stands for.
 */

/**
 * - `ready`: at least one device.
 * - `no-device`: a driver answered, with no device (none installed, or none passed into the container).
 * - `no-driver`: no NVIDIA driver (libcuda) could be loaded.
 * - `driver-too-old`: a driver, older than the CUDA runtime linked into the addon.
 * - `device-error`: the driver failed otherwise (the reason carries CUDA's error).
 * - `addon-not-built`: the package has no built addon (nvcc was missing at `npm ci`, or the build was skipped).
 * - `addon-not-found`: no package root above the running code and no `VOXELFLEET_CUDA_ADDON`.
 * - `addon-failed-to-load`: the file is there (or was named) but `require` failed.
 */
export type DiscoveryState =
  | 'ready'
  | 'no-device'
  | 'no-driver'
  | 'driver-too-old'
  | 'device-error'
  | 'addon-not-built'
  | 'addon-not-found'
  | 'addon-failed-to-load';

/** What the addon's probe says about the driver and devices (the part these rules read). */
export interface ProbeOutcome {
  available: boolean;
  reason: string | null;
  /** CUDA's encoding (13000 = 13.0); 0 when no driver is installed. */
  driverVersion: number;
  runtimeVersion: number;
}

export interface ProbeVerdict {
  state: DiscoveryState;
  /** Starts with the state in words ("no device: ..."), then CUDA's own message; null when ready. */
  reason: string | null;
}

export function cudaVersion(v: number): string | null {
  return v > 0 ? `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}` : null;
}

export function classifyProbe(p: ProbeOutcome): ProbeVerdict {
  if (p.available) return { state: 'ready', reason: null };
  const cuda = p.reason ?? 'no reason given';
  // cudaDriverGetVersion reports 0 exactly when no driver library could be loaded.
  if (p.driverVersion === 0)
    return { state: 'no-driver', reason: `no driver: no NVIDIA driver (libcuda) found; ${cuda}` };
  if (/cudaErrorInsufficientDriver/.test(cuda)) {
    const driver = cudaVersion(p.driverVersion);
    const runtime = cudaVersion(p.runtimeVersion) ?? 'unknown';
    return {
      state: 'driver-too-old',
      reason: `driver too old: the driver supports CUDA ${driver}, the addon's runtime needs ${runtime}; ${cuda}`,
    };
  }
  if (/cudaErrorNoDevice\b|: 0 devices$/.test(cuda))
    return { state: 'no-device', reason: `no device: ${cuda}` };
  return { state: 'device-error', reason: `device error: ${cuda}` };
}
