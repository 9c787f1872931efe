import {
  CudaKernelRunner,
  type Allocation,
  type CudaDevice,
  type LeakReport,
  type VramPool,
} from '@voxelfleet/cuda';

/**
 * The pool as a CudaKernelRunner sees it, with every allocation made inside the dispatch's
 * own pool job. The runner opens and closes a pool job per call; the agent instead opens one
 * per dispatch (holding the declared peak as a reservation) and closes it at the end, so the
 * buffers consume that reservation rather than being charged a second time, and leaks are
 * reported per dispatch.
 */
export class JobBoundPool {
  private jobId: string | null = null;

  constructor(readonly pool: VramPool) {}

  bind(jobId: string): void {
    this.jobId = jobId;
  }

  unbind(): void {
    this.jobId = null;
  }

  openJob(): void {
    this.bound();
  }

  alloc(_job: string, bytes: number, label?: string): Allocation {
    return this.pool.alloc(this.bound(), bytes, label);
  }

  release(a: Allocation | number): void {
    this.pool.release(a);
  }

  /** The dispatch's job stays open; the agent closes it and reads the leak report. */
  closeJob(): LeakReport {
    return { jobId: this.bound(), tenant: '', leaked: [], leakedBytes: 0 };
  }

  private bound(): string {
    if (!this.jobId) throw new Error('lane used outside a dispatch');
    return this.jobId;
  }
}

/** The device with `pool` replaced; every other member is the device's own. */
function withPool(dev: CudaDevice, pool: JobBoundPool): CudaDevice {
  return new Proxy(dev, {
    get(target, prop) {
      if (prop === 'pool') return pool;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** One concurrent job's worth of a device: its stream(s), a runner, and the pool binding. */
export class DeviceLane {
  readonly pool: JobBoundPool;
  readonly runner: CudaKernelRunner;
  private ownStream: number;
  busy = false;

  constructor(readonly dev: CudaDevice) {
    this.pool = new JobBoundPool(dev.pool);
    this.runner = new CudaKernelRunner(withPool(dev, this.pool), 'lane');
    this.ownStream = dev.createStream();
  }

  /** The lane's stream for launches outside the runner (noop, custom kernels). */
  stream(): number {
    if (this.dev.isRetired(this.ownStream)) this.ownStream = this.dev.createStream();
    return this.ownStream;
  }
}
