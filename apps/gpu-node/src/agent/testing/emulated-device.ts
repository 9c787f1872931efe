/**
 * A CUDA device emulated in host memory, for unit tests of the agent's device path on
 * machines without a GPU: the pool is the real allocator on HostBacking, copies move real
 * bytes, and launches run the CPU kernels over the pool's memory. Failures (device lost,
 * hung launch) can be injected. It implements the members the agent and CudaKernelRunner use.
 */
import {
  DeviceLostError,
  HostBacking,
  VramPool,
  type CudaDevice,
  type DeviceTelemetry,
  type GpuDeviceInfo,
  type GpuTiming,
  type NativeKernel,
} from '@voxelfleet/cuda';
import { matmulF32Cpu, reduceSumCpu, saxpyCpu } from '@voxelfleet/cuda';

export class EmulatedDevice {
  readonly backing = new HostBacking();
  readonly pool: VramPool;
  readonly timeoutMs = 30_000;
  /** The next launch fails with this (then the device stays lost), or hangs until released. */
  nextLaunch: 'ok' | 'lose' | 'hang' = 'ok';
  hung: Array<() => void> = [];
  launches: string[] = [];
  private lost: Error | null = null;
  private streams = 0;
  readonly addon = {
    memInfo: () => ({
      freeBytes: this.info.totalMemoryBytes - this.pool.stats().heldBytes,
      totalBytes: this.info.totalMemoryBytes,
    }),
  };

  constructor(
    readonly info: GpuDeviceInfo,
    poolBytes: number,
    tenantQuotaBytes = Number.POSITIVE_INFINITY,
    public telemetrySample: DeviceTelemetry = { available: false, reason: 'emulated' },
  ) {
    this.pool = new VramPool(this.backing, {
      capacityBytes: poolBytes,
      slabBytes: 1 << 20,
      defaultTenantQuotaBytes: tenantQuotaBytes,
    });
  }

  /** Typed as the class the agent takes; only the members above are ever used. */
  asCudaDevice(): CudaDevice {
    return this as unknown as CudaDevice;
  }

  get isLost(): boolean {
    return this.lost !== null;
  }

  telemetry(): DeviceTelemetry {
    return this.telemetrySample;
  }

  createStream(): number {
    return ++this.streams;
  }

  isRetired(): boolean {
    return false;
  }

  scratchBytes(): number {
    return 0;
  }

  synchronize(): void {}

  call<T>(fn: () => T): T {
    this.check();
    return fn();
  }

  upload(_stream: number, address: number, data: ArrayBufferView): Promise<GpuTiming> {
    this.check();
    this.backing
      .view(address, data.byteLength)
      .set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return Promise.resolve({ gpuMs: 0 });
  }

  download(_stream: number, address: number, bytes: number): Promise<ArrayBuffer> {
    this.check();
    return Promise.resolve(this.backing.view(address, bytes).slice().buffer);
  }

  launch(name: NativeKernel, _stream: number, args: number[]): Promise<GpuTiming> {
    this.check();
    this.launches.push(name);
    if (this.nextLaunch === 'lose') {
      this.lost = new DeviceLostError('an illegal memory access was encountered');
      return Promise.reject(this.lost);
    }
    if (this.nextLaunch === 'hang') {
      this.nextLaunch = 'ok';
      return new Promise((resolve) => this.hung.push(() => resolve({ gpuMs: 0 })));
    }
    const f32 = (address: number, n: number) =>
      new Float32Array(
        this.backing.view(address, n * 4).buffer,
        this.backing.view(address, n * 4).byteOffset,
        n,
      );
    switch (name) {
      case 'noop':
        break;
      case 'saxpy': {
        const [n, a, x, y] = args as [number, number, number, number];
        f32(y, n).set(saxpyCpu(a, f32(x, n), f32(y, n)));
        break;
      }
      case 'reduce.sum': {
        const [n, x, out] = args as [number, number, number];
        new Float64Array(this.backing.view(out, 8).buffer, this.backing.view(out, 8).byteOffset, 1)[0] =
          reduceSumCpu(f32(x, n));
        break;
      }
      case 'matmul.f32': {
        const [m, n, k, a, b, c] = args as [number, number, number, number, number, number];
        f32(c, m * n).set(matmulF32Cpu(f32(a, m * k), f32(b, k * n), m, n, k));
        break;
      }
      default:
        return Promise.reject(new Error(`emulated device: ${name} is not emulated`));
    }
    return Promise.resolve({ gpuMs: 0.01 });
  }

  private check(): void {
    if (this.lost) throw new DeviceLostError(`device ${this.info.index} is lost: ${this.lost.message}`);
  }
}

export function h100Info(index: number): GpuDeviceInfo {
  return {
    index,
    name: 'NVIDIA H100 80GB HBM3',
    uuid: `GPU-emulated-${index}`,
    computeCapability: '9.0',
    multiProcessors: 132,
    totalMemoryBytes: 80 * 2 ** 30,
    freeMemoryBytes: 79 * 2 ** 30,
    l2CacheBytes: 50 * 2 ** 20,
  };
}
