import type { GreyFrame, MotionPixels } from './grey-frame.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

export interface BackgroundModelOptions {
  /** A pixel is changed when |x - mean| > k · sigma. */
  k: number;
  /** Learning rate of mean and variance for pixels that did not change. */
  alpha: number;
  /** Learning rate of the mean for changed pixels, so a background that really changed is absorbed. */
  changedAlpha: number;
  /** Lower bound on sigma in grey levels (of the frame's bit depth); keeps noise-free images sane. */
  minSigma: number;
  /** Sigma assumed before the model has learnt the noise. */
  initialSigma: number;
}

export const DEFAULT_BACKGROUND_OPTIONS: BackgroundModelOptions = {
  k: 4,
  alpha: 0.05,
  changedAlpha: 0.002,
  minSigma: 2,
  initialSigma: 6,
};

/**
 * Per-pixel running mean and variance with a noise-relative threshold. Deterministic: the
 * output depends only on the frames seen, in order. The first frame initialises the model.
 */
export class BackgroundModel {
  readonly width: number;
  readonly height: number;
  private readonly options: BackgroundModelOptions;
  private readonly mean: Float32Array;
  private readonly variance: Float32Array;
  private initialised = false;
  private indices = new Uint32Array(4096);
  private weights = new Float32Array(4096);

  constructor(width: number, height: number, options: Partial<BackgroundModelOptions> = {}) {
    this.width = width;
    this.height = height;
    this.options = { ...DEFAULT_BACKGROUND_OPTIONS, ...options };
    if (!(this.options.k > 0) || !(this.options.alpha > 0 && this.options.alpha <= 1)) {
      throw new RangeError('background model needs k > 0 and 0 < alpha <= 1');
    }
    this.mean = new Float32Array(width * height);
    this.variance = new Float32Array(width * height);
  }

  /**
   * Compares the frame with the model, then updates the model. The returned arrays are reused
   * by the next call; copy them to keep them.
   */
  update(frame: GreyFrame): MotionPixels {
    if (frame.width !== this.width || frame.height !== this.height) {
      throw new RangeError(`frame is ${frame.width}x${frame.height}, the model ${this.width}x${this.height}`);
    }
    const { data } = frame;
    const n = this.width * this.height;
    const { mean, variance } = this;
    if (!this.initialised) {
      const v0 = this.options.initialSigma * this.options.initialSigma;
      for (let i = 0; i < n; i++) mean[i] = data[i]!;
      variance.fill(v0);
      this.initialised = true;
      return {
        width: this.width,
        height: this.height,
        count: 0,
        indices: this.indices,
        weights: this.weights,
      };
    }
    const k2 = this.options.k * this.options.k;
    const minVar = this.options.minSigma * this.options.minSigma;
    const alpha = this.options.alpha;
    const changedAlpha = this.options.changedAlpha;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const m = mean[i]!;
      const d = data[i]! - m;
      const d2 = d * d;
      const v = variance[i]!;
      const floorVar = v > minVar ? v : minVar;
      if (d2 > k2 * floorVar) {
        if (count === this.indices.length) this.grow();
        this.indices[count] = i;
        this.weights[count] = M.sqrt(d2 / floorVar);
        count++;
        mean[i] = m + changedAlpha * d;
      } else {
        mean[i] = m + alpha * d;
        variance[i] = v + alpha * (d2 - v);
      }
    }
    return { width: this.width, height: this.height, count, indices: this.indices, weights: this.weights };
  }

  private grow(): void {
    const indices = new Uint32Array(this.indices.length * 2);
    indices.set(this.indices);
    const weights = new Float32Array(this.weights.length * 2);
    weights.set(this.weights);
    this.indices = indices;
    this.weights = weights;
  }
}
