import { InvalidArgumentError } from '../errors.js';
import type { Allocation } from '../pool/pool-types.js';
import type { CudaDevice } from './cuda-device.js';

/** The background model's parameters (libs/voxel BackgroundModelOptions has the same fields). */
export interface BackgroundParams {
  k: number;
  alpha: number;
  changedAlpha: number;
  minSigma: number;
  initialSigma: number;
}

export interface GreyFrameLike {
  width: number;
  height: number;
  data: Uint8Array | Uint16Array;
}

export interface ChangedPixels {
  width: number;
  height: number;
  count: number;
  /** Changed pixel indices (y * width + x), ascending. */
  indices: Uint32Array;
  /** |x - mean| / sigma of each changed pixel. */
  weights: Float32Array;
}

let nextModel = 1;

/**
 * One camera's running mean/variance background model on the device (motion.background):
 * the same arithmetic as libs/voxel's BackgroundModel, bit for bit, with the model kept in
 * VRAM between frames. Each model has its own stream, so several cameras run concurrently.
 * Only the frame goes up and only the changed pixels come back.
 */
export class CudaBackgroundModel {
  private readonly job = `background-${process.pid}-${nextModel++}`;
  private readonly stream: number;
  private readonly n: number;
  private readonly buffers: Record<
    'frame' | 'mean' | 'variance' | 'indices' | 'weights' | 'count' | 'scratch',
    Allocation
  >;
  private initialised = false;
  private disposed = false;

  constructor(
    private readonly dev: CudaDevice,
    readonly width: number,
    readonly height: number,
    private readonly params: BackgroundParams,
    tenant: string,
    bytesPerPixel: 1 | 2 = 1,
  ) {
    if (!(params.k > 0) || !(params.alpha > 0 && params.alpha <= 1)) {
      throw new InvalidArgumentError('motion.background: needs k > 0 and 0 < alpha <= 1');
    }
    this.n = width * height;
    if (!Number.isInteger(this.n) || this.n < 1)
      throw new InvalidArgumentError('motion.background: frame size');
    dev.pool.openJob(this.job, tenant);
    const alloc = (bytes: number, label: string) => dev.pool.alloc(this.job, Math.max(4, bytes), label);
    this.buffers = {
      frame: alloc(this.n * bytesPerPixel, 'frame'),
      mean: alloc(this.n * 4, 'mean'),
      variance: alloc(this.n * 4, 'variance'),
      indices: alloc(this.n * 4, 'indices'),
      weights: alloc(this.n * 4, 'weights'),
      count: alloc(4, 'count'),
      scratch: alloc(dev.scratchBytes('motion.background', this.n), 'scratch'),
    };
    this.stream = dev.createStream();
  }

  /** Compares the frame with the model, then updates the model; the first frame initialises it. */
  async update(frame: GreyFrameLike): Promise<ChangedPixels> {
    if (this.disposed) throw new InvalidArgumentError('motion.background: model disposed');
    if (frame.width !== this.width || frame.height !== this.height || frame.data.length !== this.n) {
      throw new InvalidArgumentError(
        `motion.background: frame is ${frame.width}x${frame.height}, the model ${this.width}x${this.height}`,
      );
    }
    const b = this.buffers;
    const p = this.params;
    const bpp = frame.data.BYTES_PER_ELEMENT;
    if (b.frame.bytes < frame.data.byteLength) throw new InvalidArgumentError('motion.background: bit depth');
    await this.dev.upload(this.stream, b.frame.address, frame.data);
    const init = !this.initialised;
    // Parameters computed exactly as BackgroundModel computes them, in float64.
    await this.dev.launch('motion.background', this.stream, [
      this.n,
      bpp,
      b.frame.address,
      b.mean.address,
      b.variance.address,
      p.k * p.k,
      p.minSigma * p.minSigma,
      p.alpha,
      p.changedAlpha,
      p.initialSigma * p.initialSigma,
      init ? 1 : 0,
      this.n,
      b.indices.address,
      b.weights.address,
      b.count.address,
      b.scratch.address,
    ]);
    this.initialised = true;
    const count = new Uint32Array(await this.dev.download(this.stream, b.count.address, 4))[0]!;
    if (count === 0) {
      return {
        width: this.width,
        height: this.height,
        count,
        indices: new Uint32Array(0),
        weights: new Float32Array(0),
      };
    }
    const [ib, wb] = await Promise.all([
      this.dev.download(this.stream, b.indices.address, count * 4),
      this.dev.download(this.stream, b.weights.address, count * 4),
    ]);
    return {
      width: this.width,
      height: this.height,
      count,
      indices: new Uint32Array(ib),
      weights: new Float32Array(wb),
    };
  }

  /** Returns the model's VRAM to the pool. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dev.pool.closeJob(this.job);
  }
}
