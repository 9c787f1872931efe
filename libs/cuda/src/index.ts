/**
 * @voxelfleet/cuda: CUDA devices from Node.
 *
 * - discoverDevices() / readTelemetry(uuid): what is here, or why nothing is.
 * - CudaDevice.open(i): a device with its VRAM pool (per-tenant quotas, job ownership,
 *   zero-on-free), streams, async launches and copies with time limits and typed errors.
 * - BUILTIN_KERNEL_CATALOG: one descriptor per built-in kernel (inputs, decoder, runner call,
 *   output, sizes); decodeKernelCall/runKernelCall/encodeKernelResult dispatch through it.
 * - KernelRunner: the built-in kernels with host arrays in and out; CudaKernelRunner on a
 *   device, CpuKernelRunner everywhere (the fallback). createKernelRunner picks.
 * - CustomKernels + signKernel/verifyKernel: Ed25519-signed PTX kernels.
 * - VramPool + HostBacking: the allocator, also usable without a GPU.
 */
export * from './errors.js';
export {
  discoverDevices,
  readTelemetry,
  type DeviceDiscovery,
  type DeviceTelemetry,
  type GpuDeviceInfo,
} from './discovery.js';
export { classifyProbe, type DiscoveryState, type ProbeVerdict } from './discovery-state.js';
export { findPackageRoot, locateAddon, type AddonLocation } from './addon-path.js';
export { loadAddon, loadAddonAt, type AddonLoad, type GpuTiming, type NativeKernel } from './native.js';
export { VramPool, type VramPoolOptions } from './pool/vram-pool.js';
export type { Allocation, LeakReport, PoolStats, TenantStats } from './pool/pool-types.js';
export { HostBacking, type PoolBacking, type ZeroRange } from './pool/backing.js';
export { CudaDevice, type CudaDeviceOptions, type LaunchOptions } from './runtime/cuda-device.js';
export { CudaKernelRunner } from './runtime/cuda-runner.js';
export {
  CudaBackgroundModel,
  type BackgroundParams,
  type ChangedPixels,
  type GreyFrameLike,
} from './runtime/cuda-background-model.js';
export { CpuKernelRunner } from './runtime/cpu-runner.js';
export { createKernelRunner, type RunnerChoice } from './runtime/create-runner.js';
export {
  CustomKernels,
  type CustomKernelEvent,
  type CustomLaunch,
  type LoadedKernel,
} from './runtime/custom-kernels.js';
export {
  canonicalJson,
  checkLimits,
  packParams,
  sha256Hex,
  signKernel,
  verifyKernel,
  type KernelLimits,
  type KernelManifest,
  type KernelParam,
  type ParamType,
  type SignedKernel,
} from './signing/kernel-manifest.js';
export type { KernelRunner, MotionDiffRequest, MotionDiffResult } from './kernels/kernel-types.js';
export {
  matmulF32Cpu,
  motionDiffCpu,
  reduceSumCpu,
  saxpyCpu,
  scanExclusiveCpu,
} from './kernels/cpu-kernels.js';
export { voxelEvidenceCpu } from './kernels/voxel-evidence-cpu.js';
export * from './kernels/catalog/index.js';
