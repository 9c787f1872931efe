import type { JobError } from '@voxelfleet/contracts';
import { CudaError } from '@voxelfleet/cuda';

/** A typed CUDA-layer failure as the job's error; device failures are flagged for fallback. */
export function jobErrorFromCuda(e: unknown): {
  error: JobError;
  deviceFailure?: 'device-lost' | 'device-oom';
} {
  const message = e instanceof Error ? e.message : String(e);
  if (!(e instanceof CudaError)) return { error: { code: 'internal', message, retryable: true } };
  switch (e.code) {
    case 'SOFT_OOM':
      // Over this tenant's share on this node; another node may have room.
      return { error: { code: 'quota-oom', message, retryable: true } };
    case 'HARD_OOM':
      return { error: { code: 'device-oom', message, retryable: true }, deviceFailure: 'device-oom' };
    case 'DEVICE_LOST':
      return { error: { code: 'device-lost', message, retryable: true }, deviceFailure: 'device-lost' };
    case 'TIMEOUT':
      return { error: { code: 'timeout', message, retryable: false } };
    case 'INVALID_ARGUMENT':
      return { error: { code: 'bad-input', message, retryable: false } };
    case 'LAUNCH_FAILED':
      return { error: { code: 'launch-failed', message, retryable: false } };
    case 'NO_DEVICE':
      return { error: { code: 'device-lost', message, retryable: true }, deviceFailure: 'device-lost' };
    case 'MODULE_LOAD_FAILED':
    case 'KERNEL_UNSIGNED':
    case 'KERNEL_TAMPERED':
    case 'KERNEL_UNKNOWN_KEY':
    case 'KERNEL_LIMITS':
      return { error: { code: 'kernel-rejected', message: `${e.code}: ${message}`, retryable: false } };
  }
}
