/**
 * The background models of a whole rig on one device, updated a frame-set at a time in one
 * native call (motionBatch): the frames go up together (straight from pinned memory when
 * the caller's frames live there, see CudaDevice.pinnedBuffer), every camera's model runs on
 * one stream, and only changed pixels come back. Same arithmetic as CudaBackgroundModel and
 * libs/voxel's BackgroundModel, bit for bit.
 */
import { InvalidArgumentError } from '../errors.js';
import type { GpuTiming, NativeAddon } from '../native.js';
import type { Allocation } from '../pool/pool-types.js';
import type { BackgroundParams, ChangedPixels, GreyFrameLike } from './cuda-background-model.js';
import type { CudaDevice } from './cuda-device.js';

interface NativeMotionCamera {
  data: Uint8Array | Uint16Array;
  n: number;
  frame: number;
  mean: number;
  variance: number;
  indices: number;
  weights: number;
  count: number;
  scratch: number;
  init: boolean;
}

export interface NativeMotionAddon {
  motionBatch(
    device: number,
    stream: number,
    timeoutMs: number,
    spec: {
      bytesPerPixel: number;
      k2: number;
      minVar: number;
      alpha: number;
      changedAlpha: number;
      initialVar: number;
      cameras: NativeMotionCamera[];
    },
  ): Promise<GpuTiming & { value: { count: number; indices: Uint32Array; weights: Float32Array }[] }>;
  pinnedBuffer(bytes: number): ArrayBuffer;
}

/** The addon's batched-motion entry points, or null for an addon built before they existed. */
export function motionAddon(addon: NativeAddon): NativeMotionAddon | null {
  const a = addon as NativeAddon & Partial<NativeMotionAddon>;
  return typeof a.motionBatch === 'function' && typeof a.pinnedBuffer === 'function'
    ? (a as NativeMotionAddon)
    : null;
}

let nextBatch = 1;

export class CudaBackgroundBatch {
  private readonly job = `background-batch-${process.pid}-${nextBatch++}`;
  private readonly stream: number;
  private readonly native: NativeMotionAddon;
  private readonly buffers: Record<
    'frame' | 'mean' | 'variance' | 'indices' | 'weights' | 'count' | 'scratch',
    Allocation
  >[];
  private initialised = false;
  private disposed = false;
  /** Device time of the last update's kernels, milliseconds. */
  lastGpuMs = 0;

  constructor(
    private readonly dev: CudaDevice,
    readonly sizes: readonly { width: number; height: number }[],
    private readonly params: BackgroundParams,
    tenant: string,
    private readonly bytesPerPixel: 1 | 2 = 1,
  ) {
    if (!(params.k > 0) || !(params.alpha > 0 && params.alpha <= 1)) {
      throw new InvalidArgumentError('motion.background: needs k > 0 and 0 < alpha <= 1');
    }
    const native = motionAddon(dev.addon);
    if (!native)
      throw new InvalidArgumentError('motion.background: the addon has no batched motion; rebuild it');
    this.native = native;
    dev.pool.openJob(this.job, tenant);
    const alloc = (bytes: number, label: string) => dev.pool.alloc(this.job, Math.max(4, bytes), label);
    this.buffers = sizes.map(({ width, height }) => {
      const n = width * height;
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('motion.background: frame size');
      return {
        frame: alloc(n * bytesPerPixel, 'frame'),
        mean: alloc(n * 4, 'mean'),
        variance: alloc(n * 4, 'variance'),
        indices: alloc(n * 4, 'indices'),
        weights: alloc(n * 4, 'weights'),
        count: alloc(4, 'count'),
        scratch: alloc(dev.scratchBytes('motion.background', n), 'scratch'),
      };
    });
    this.stream = dev.createStream();
  }

  /** Every camera's frame of one frame-set through its model; the first initialises them. */
  async update(frames: readonly GreyFrameLike[]): Promise<ChangedPixels[]> {
    if (this.disposed) throw new InvalidArgumentError('motion.background: batch disposed');
    if (frames.length !== this.sizes.length)
      throw new InvalidArgumentError(
        `motion.background: ${frames.length} frames for ${this.sizes.length} cameras`,
      );
    const cameras = frames.map((f, i): NativeMotionCamera => {
      const { width, height } = this.sizes[i]!;
      if (f.width !== width || f.height !== height || f.data.length !== width * height)
        throw new InvalidArgumentError(
          `motion.background: frame ${i} is ${f.width}x${f.height}, the model ${width}x${height}`,
        );
      if (f.data.BYTES_PER_ELEMENT !== this.bytesPerPixel)
        throw new InvalidArgumentError(`motion.background: frame ${i} bit depth`);
      const b = this.buffers[i]!;
      return {
        data: f.data,
        n: width * height,
        frame: b.frame.address,
        mean: b.mean.address,
        variance: b.variance.address,
        indices: b.indices.address,
        weights: b.weights.address,
        count: b.count.address,
        scratch: b.scratch.address,
        init: !this.initialised,
      };
    });
    const p = this.params;
    // Parameters computed exactly as BackgroundModel computes them, in float64.
    const r = await this.dev.async(this.stream, () =>
      this.native.motionBatch(this.dev.info.index, this.stream, this.dev.timeoutMs, {
        bytesPerPixel: this.bytesPerPixel,
        k2: p.k * p.k,
        minVar: p.minSigma * p.minSigma,
        alpha: p.alpha,
        changedAlpha: p.changedAlpha,
        initialVar: p.initialSigma * p.initialSigma,
        cameras,
      }),
    );
    this.initialised = true;
    this.lastGpuMs = r.gpuMs;
    return r.value.map((c, i) => ({
      ...this.sizes[i]!,
      count: c.count,
      indices: c.indices,
      weights: c.weights,
    }));
  }

  /** Returns the models' VRAM to the pool. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dev.pool.closeJob(this.job);
  }
}
