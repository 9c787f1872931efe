/**
 * One CUDA device: its VRAM pool, its streams, and async launches and copies that settle
 * as promises (the work runs on a libuv thread, never on the event loop). A device that
 * returns a sticky error is marked lost and refuses further work, so the agent can take
 * it out alone and fall back.
 */
import type { GpuDeviceInfo } from '../discovery.js';
import { discoverDevices, readTelemetry, type DeviceTelemetry } from '../discovery.js';
import { CudaError, DeviceLostError, NoDeviceError, fromNative } from '../errors.js';
import { loadAddon, type GpuTiming, type NativeAddon, type NativeKernel } from '../native.js';
import { CudaBacking } from '../pool/cuda-backing.js';
import { VramPool, type VramPoolOptions } from '../pool/vram-pool.js';
import { motionAddon } from './cuda-background-batch.js';
import { evidenceAddon, type NativeEvidenceSpec, type NativeEvidenceValue } from './native-evidence.js';

export interface CudaDeviceOptions {
  /** Pool options; capacity defaults to 90% of the memory free when the device opens. */
  pool?: Partial<VramPoolOptions>;
  /** Default per-operation time limit, milliseconds (0: none). */
  timeoutMs?: number;
}

export interface LaunchOptions {
  timeoutMs?: number;
  /** Enqueue the kernel this many times back to back (benchmarks). */
  repeats?: number;
}

export class CudaDevice {
  readonly pool: VramPool;
  private lost: CudaError | null = null;
  private readonly retired = new Set<number>();

  private constructor(
    readonly addon: NativeAddon,
    readonly info: GpuDeviceInfo,
    readonly timeoutMs: number,
    poolOpts: Partial<VramPoolOptions>,
  ) {
    const free = info.freeMemoryBytes ?? info.totalMemoryBytes;
    this.pool = new VramPool(new CudaBacking(addon, info.index), {
      capacityBytes: Math.floor(free * 0.9),
      ...poolOpts,
    });
  }

  /** Opens device `index`; throws NoDeviceError (with the reason) when there is none. */
  static open(index = 0, opts: CudaDeviceOptions = {}): CudaDevice {
    const load = loadAddon();
    if (!load.addon) throw new NoDeviceError(load.reason);
    const found = discoverDevices();
    const info = found.devices[index];
    if (!found.available || !info) throw new NoDeviceError(found.reason ?? `no CUDA device ${index}`);
    return new CudaDevice(load.addon, info, opts.timeoutMs ?? 30_000, opts.pool ?? {});
  }

  get isLost(): boolean {
    return this.lost !== null;
  }

  telemetry(): DeviceTelemetry {
    return readTelemetry(this.info.uuid);
  }

  createStream(): number {
    return this.call(() => this.addon.createStream(this.info.index));
  }

  destroyStream(stream: number): void {
    this.retired.delete(stream);
    this.call(() => this.addon.destroyStream(this.info.index, stream));
  }

  /** A stream whose operation timed out is still busy; callers should take a new one. */
  isRetired(stream: number): boolean {
    return this.retired.has(stream);
  }

  launch(name: NativeKernel, stream: number, args: number[], opts: LaunchOptions = {}): Promise<GpuTiming> {
    return this.async(stream, () =>
      this.addon.launch(
        name,
        this.info.index,
        stream,
        opts.timeoutMs ?? this.timeoutMs,
        opts.repeats ?? 1,
        args,
      ),
    );
  }

  upload(
    stream: number,
    address: number,
    data: ArrayBufferView,
    timeoutMs = this.timeoutMs,
  ): Promise<GpuTiming> {
    return this.async(stream, () => this.addon.upload(this.info.index, stream, address, data, timeoutMs));
  }

  async download(
    stream: number,
    address: number,
    bytes: number,
    timeoutMs = this.timeoutMs,
  ): Promise<ArrayBuffer> {
    const r = await this.async(stream, () =>
      this.addon.download(this.info.index, stream, address, bytes, timeoutMs),
    );
    return r.value;
  }

  copy(stream: number, dst: number, src: number, bytes: number, repeats = 1): Promise<GpuTiming> {
    return this.async(stream, () =>
      this.addon.copy(this.info.index, stream, dst, src, bytes, repeats, this.timeoutMs),
    );
  }

  scratchBytes(name: NativeKernel, n: number): number {
    return this.addon.scratchBytes(name, n, this.info.index);
  }

  /**
   * A whole voxel.evidence step in one native call (pixel lists packed into pinned memory and
   * uploaded once, the fused kernels, survivors sorted and downloaded), off the JS thread.
   */
  evidence(
    stream: number,
    spec: NativeEvidenceSpec,
    timeoutMs = this.timeoutMs,
  ): Promise<GpuTiming & { value: NativeEvidenceValue }> {
    const native = this.evidenceNative();
    return this.async(stream, () => native.evidence(this.info.index, stream, timeoutMs, spec));
  }

  /** Device scratch bytes `evidence` needs for this spec (its pixel-list lengths included). */
  evidenceScratchBytes(spec: Omit<NativeEvidenceSpec, 'scratch' | 'scratchBytes'>): number {
    const native = this.evidenceNative();
    return this.call(() => native.evidenceScratchBytes(spec));
  }

  /**
   * Page-locked host memory the device reads by DMA (frames a capture path writes once);
   * freed with the buffer. Null when the addon predates it.
   */
  pinnedBuffer(bytes: number): ArrayBuffer {
    const native = motionAddon(this.addon);
    if (!native) throw new CudaError('INVALID_ARGUMENT', 'pinnedBuffer: the addon has none; rebuild it');
    return this.call(() => native.pinnedBuffer(bytes));
  }

  private evidenceNative() {
    const native = evidenceAddon(this.addon);
    if (!native)
      throw new CudaError('INVALID_ARGUMENT', 'voxel.evidence: the addon has no evidence step; rebuild it');
    return native;
  }

  /** One raw cudaMalloc + cudaFree pair (the baseline the pool is measured against). */
  rawMallocFree(bytes: number): void {
    this.call(() => this.addon.rawMallocFree(this.info.index, bytes));
  }

  synchronize(): void {
    this.call(() => this.addon.synchronize(this.info.index));
  }

  /** Runs a synchronous native call with the lost-device check and error mapping. */
  call<T>(fn: () => T): T {
    if (this.lost) throw new DeviceLostError(`device ${this.info.index} is lost: ${this.lost.message}`);
    try {
      return fn();
    } catch (e) {
      throw this.note(fromNative(e));
    }
  }

  /** Same for async work on a stream; a timeout retires the stream. */
  async async<T>(stream: number, fn: () => Promise<T>): Promise<T> {
    if (this.lost) throw new DeviceLostError(`device ${this.info.index} is lost: ${this.lost.message}`);
    try {
      return await fn();
    } catch (e) {
      const err = this.note(fromNative(e));
      if (err instanceof CudaError && err.code === 'TIMEOUT') this.retired.add(stream);
      throw err;
    }
  }

  private note(e: Error): Error {
    if (e instanceof DeviceLostError) this.lost = e;
    return e;
  }
}
