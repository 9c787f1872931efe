import { discoverDevices } from '../discovery.js';
import type { KernelRunner } from '../kernels/kernel-types.js';
import { CpuKernelRunner } from './cpu-runner.js';
import { CudaDevice, type CudaDeviceOptions } from './cuda-device.js';
import { CudaKernelRunner } from './cuda-runner.js';

export interface RunnerChoice {
  runner: KernelRunner;
  device: CudaDevice | null;
  /** Why the CPU was chosen; null on a GPU. */
  fallbackReason: string | null;
}

/** A CUDA runner on device `index` when there is one, else the CPU runner and the reason. */
export function createKernelRunner(tenant: string, index = 0, opts: CudaDeviceOptions = {}): RunnerChoice {
  const found = discoverDevices();
  if (!found.available || !found.devices[index]) {
    return {
      runner: new CpuKernelRunner(),
      device: null,
      fallbackReason: found.reason ?? `no CUDA device ${index}`,
    };
  }
  const device = CudaDevice.open(index, opts);
  return { runner: new CudaKernelRunner(device, tenant), device, fallbackReason: null };
}
