/**
 * Typed errors of the CUDA layer. Every error carries a stable `code` so the gpu-node agent
 * can decide (retry, fall back to the CPU, fail the job, take the device out) without
 * parsing messages.
 */
export type CudaErrorCode =
  | 'NO_DEVICE'
  | 'SOFT_OOM'
  | 'HARD_OOM'
  | 'LAUNCH_FAILED'
  | 'DEVICE_LOST'
  | 'TIMEOUT'
  | 'INVALID_ARGUMENT'
  | 'MODULE_LOAD_FAILED'
  | 'KERNEL_UNSIGNED'
  | 'KERNEL_TAMPERED'
  | 'KERNEL_UNKNOWN_KEY'
  | 'KERNEL_LIMITS';

export class CudaError extends Error {
  constructor(
    readonly code: CudaErrorCode,
    message: string,
    /** The cudaError_t / CUresult number when the failure came from CUDA. */
    readonly cudaError?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No usable device (no driver, no GPU, addon not built); `reason` says which. */
export class NoDeviceError extends CudaError {
  constructor(message: string) {
    super('NO_DEVICE', message);
  }
}

/** A tenant asked for more VRAM than its quota allows; other tenants are unaffected. */
export class QuotaExceededError extends CudaError {
  constructor(
    readonly tenant: string,
    readonly requestedBytes: number,
    readonly usedBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      'SOFT_OOM',
      `tenant ${tenant}: ${requestedBytes} B requested, ${usedBytes} B in use, quota ${limitBytes} B`,
    );
  }
}

/** The device (or the pool's share of it) has no room left. */
export class DeviceOutOfMemoryError extends CudaError {
  constructor(message: string, cudaError?: number) {
    super('HARD_OOM', message, cudaError);
  }
}

export class LaunchError extends CudaError {
  constructor(message: string, cudaError?: number) {
    super('LAUNCH_FAILED', message, cudaError);
  }
}

/** The device returned a sticky error: nothing more can run on it in this process. */
export class DeviceLostError extends CudaError {
  constructor(message: string, cudaError?: number) {
    super('DEVICE_LOST', message, cudaError);
  }
}

/** A launch did not finish in its time limit; its stream is still busy and is retired. */
export class LaunchTimeoutError extends CudaError {
  constructor(message: string) {
    super('TIMEOUT', message);
  }
}

export class InvalidArgumentError extends CudaError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

export type KernelRejection = 'KERNEL_UNSIGNED' | 'KERNEL_TAMPERED' | 'KERNEL_UNKNOWN_KEY' | 'KERNEL_LIMITS';

/** A custom kernel refused before it reached the driver. */
export class KernelRejectedError extends CudaError {
  constructor(code: KernelRejection, message: string) {
    super(code, message);
  }
}

interface NativeFailure {
  code?: unknown;
  message?: unknown;
  cudaError?: unknown;
}

/** Maps an error thrown or rejected by the addon to its typed class. */
export function fromNative(e: unknown): Error {
  if (e instanceof CudaError || !(e instanceof Error)) return e instanceof Error ? e : new Error(String(e));
  const f = e as NativeFailure;
  const message = typeof f.message === 'string' ? f.message : 'CUDA failure';
  const num = typeof f.cudaError === 'number' ? f.cudaError : undefined;
  switch (f.code) {
    case 'HARD_OOM':
      return new DeviceOutOfMemoryError(message, num);
    case 'DEVICE_LOST':
      return new DeviceLostError(message, num);
    case 'TIMEOUT':
      return new LaunchTimeoutError(message);
    case 'INVALID_ARGUMENT':
      return new InvalidArgumentError(message);
    case 'LAUNCH_FAILED':
      return new LaunchError(message, num);
    case 'MODULE_LOAD_FAILED':
      return new CudaError('MODULE_LOAD_FAILED', message, num);
    default:
      return e;
  }
}
