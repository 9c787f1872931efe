import type { JobError } from '@voxelfleet/contracts';

/** What the agent knows about one of its devices when it plans a run. */
export interface DeviceHealth {
  index: number;
  healthy: boolean;
  /** Why the device is out, when it is. */
  reason?: string;
}

export interface PlanInput {
  /** Absent: the scheduler placed the job on this node's CPU. */
  deviceIndex?: number;
  cpuFallbackAllowed: boolean;
  custom: boolean;
}

export type RunPlan =
  | { where: 'cuda'; deviceIndex: number }
  /** fallbackReason is null for a job placed on the CPU, set when the CPU stands in for a device. */
  | { where: 'cpu'; fallbackReason: string | null }
  | { where: 'nowhere'; error: JobError };

/**
 * Where a job runs. Custom kernels run only on a healthy device (never the CPU); a job that
 * asked for a device falls back to the CPU only when its grant and edition allow it.
 */
export function planRun(job: PlanInput, devices: readonly DeviceHealth[]): RunPlan {
  if (job.deviceIndex === undefined) {
    if (job.custom) {
      return nowhere(
        'kernel-rejected',
        'custom kernels run only on a CUDA device, and none was named',
        false,
      );
    }
    return { where: 'cpu', fallbackReason: null };
  }
  const device = devices.find((d) => d.index === job.deviceIndex);
  if (device?.healthy) return { where: 'cuda', deviceIndex: device.index };
  const why = device
    ? `device ${device.index} is out of service${device.reason ? `: ${device.reason}` : ''}`
    : devices.length
      ? `this node has no device ${job.deviceIndex}`
      : 'this node has no CUDA device';
  if (job.custom) {
    // Another node with a working device may accept it, so the scheduler may try again.
    return nowhere('kernel-rejected', `${why}; custom kernels never run on the CPU`, true);
  }
  if (!job.cpuFallbackAllowed) {
    return nowhere('fallback-not-allowed', `${why}, and the job does not allow CPU fallback`, true);
  }
  return { where: 'cpu', fallbackReason: why };
}

/** A device failed under a running job (lost, or out of memory past the pool). */
export function planAfterDeviceFailure(
  failure: { code: 'device-lost' | 'device-oom'; message: string; deviceIndex: number },
  job: { cpuFallbackAllowed: boolean; custom: boolean },
): RunPlan {
  const why =
    failure.code === 'device-lost'
      ? `device ${failure.deviceIndex} was lost mid-run: ${failure.message}`
      : `device ${failure.deviceIndex} ran out of memory: ${failure.message}`;
  if (job.custom || !job.cpuFallbackAllowed) {
    return nowhere(failure.code, job.custom ? `${why}; custom kernels never run on the CPU` : why, true);
  }
  return { where: 'cpu', fallbackReason: why };
}

function nowhere(code: JobError['code'], message: string, retryable: boolean): RunPlan {
  return { where: 'nowhere', error: { code, message, retryable } };
}
