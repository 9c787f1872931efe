import type { GreyFrame, MotionPixels } from './grey-frame.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

export interface RobustBackgroundOptions {
  /** A pixel is foreground when it is more than k · sigma from the model (and from its neighbours'). */
  k: number;
  /** Learning rate of mean and variance, per frame, of pixels that are background. */
  alpha: number;
  /** Lower bound on sigma in grey levels (of the frame's bit depth). */
  minSigma: number;
  /** Sigma assumed before the model has learnt the noise. */
  initialSigma: number;
  /**
   * A pixel that stays foreground with a steady value (frame to frame within k · sigma) this
   * long joins the background: the bound on how long a ghost lasts (the place an object left,
   * e.g. one in view at start-up) and on how long an object that stopped is still seen.
   */
  absorbSeconds: number;
  /** Frame rate assumed when update() is given no time. */
  fps: number;
  /** Model pixels compared with each pixel: 1 also tries the 8 neighbours (±1 px camera shake). */
  shakeRadius: 0 | 1;
}

export const DEFAULT_ROBUST_BACKGROUND_OPTIONS: RobustBackgroundOptions = {
  k: 4,
  alpha: 0.05,
  minSigma: 2,
  initialSigma: 6,
  absorbSeconds: 1.5,
  fps: 20,
  // Off by default: measured on lead-in scenes, clearing ghost edges also took ~0.2-0.5 voxel
  // of localisation (see the tracking bench); on for shaking cameras and busy start-ups.
  shakeRadius: 0,
};

/** Pixels sampled for the illumination gain: every SAMPLE_STEP-th (odd, so rows are not aligned). */
const SAMPLE_STEP = 29;

/**
 * Per-pixel running mean and variance, hardened against what real cameras see:
 * - global illumination change: each frame's gain against the model is the median of
 *   frame/model over sampled pixels (foreground is a minority, so the median ignores it); the
 *   model is scaled by it before comparing, so a ramp or a cloud's shadow is not motion;
 * - camera shake: a pixel is foreground only if no model pixel within `shakeRadius` explains it;
 * - foreground-masked learning: foreground pixels do not update the model, so an object that
 *   lingers is not smeared into it;
 * - ghosts and stopped objects: a foreground pixel whose value has stayed steady for
 *   `absorbSeconds` is background (the place an object in view at start-up left, or an object
 *   that has been still that long). A ghost therefore fades within absorbSeconds of the object
 *   leaving; the tracker never confirms a track that has not moved (see MultiTargetTracker), so
 *   a ghost never becomes a published track;
 * - verified background: a pixel's model is verified once the pixel has matched it. Foreground
 *   where it is not (the model came from the first frame or from absorption and the pixel has
 *   differed ever since: an object in view at start-up that has left) is not reported at all,
 *   so most of a start-up ghost never reaches the evidence. (Where the object kept covering its
 *   first-frame pixels for a while they are verified, and that part of its ghost is reported
 *   until absorbed.)
 * - objects flying along a line of sight: their inside is steady foreground too; under a hold
 *   mask from the tracker it is not absorbed (see update()).
 * Deterministic: the output depends only on the frames (and times) seen, in order.
 */
export class RobustBackgroundModel {
  readonly width: number;
  readonly height: number;
  private readonly options: RobustBackgroundOptions;
  private readonly mean: Float32Array;
  private readonly variance: Float32Array;
  private readonly last: Float32Array;
  /** Seconds each pixel has been steady foreground. */
  private readonly steady: Float32Array;
  private readonly ratios: Float64Array;
  /** The model as the frame began, so a change spreads at most one pixel per frame. */
  private readonly before: Float32Array;
  /** 1 where the previous frame matched the pixel's own model. */
  private readonly matched: Uint8Array;
  private readonly matchedNext: Uint8Array;
  /**
   * 1 where the model has matched the pixel since it was last set from a frame (the first
   * frame, or absorption): its value is background seen as such, not possibly an object.
   */
  private readonly verified: Uint8Array;
  /** Frames in a row a pixel has been a steady ghost edge. */
  private readonly edgeRuns: Uint8Array;
  private lastT: number | null = null;
  private frames = 0;
  private indices = new Uint32Array(4096);
  private weights = new Float32Array(4096);

  constructor(width: number, height: number, options: Partial<RobustBackgroundOptions> = {}) {
    this.width = width;
    this.height = height;
    this.options = { ...DEFAULT_ROBUST_BACKGROUND_OPTIONS, ...options };
    const o = this.options;
    if (!(o.k > 0) || !(o.alpha > 0 && o.alpha <= 1) || !(o.absorbSeconds > 0) || !(o.fps > 0)) {
      throw new RangeError('background model needs k > 0, 0 < alpha <= 1, absorbSeconds > 0 and fps > 0');
    }
    const n = width * height;
    this.mean = new Float32Array(n);
    this.variance = new Float32Array(n);
    this.last = new Float32Array(n);
    this.steady = new Float32Array(n);
    this.ratios = new Float64Array(M.ceil(n / SAMPLE_STEP));
    this.before = new Float32Array(n);
    this.matched = new Uint8Array(n).fill(1);
    this.matchedNext = new Uint8Array(n);
    this.edgeRuns = new Uint8Array(n);
    this.verified = new Uint8Array(n);
  }

  /**
   * Compares the frame with the model, then updates the model. `t` is the frame's time in
   * seconds (default: frames seen / fps). `hold` (one byte per pixel, optional) marks pixels
   * where a moving object is known to be (from the tracker): steady foreground there is the
   * inside of an object flying along the camera's line of sight, not a ghost or a stopped
   * object, so it is not absorbed while held, where the model is verified background. (Where
   * the model came from a frame that may have shown an object, the first one, it may be the
   * ghost of that object, and absorbing it stays bounded.) The arrays returned are reused by
   * the next call.
   */
  update(frame: GreyFrame, t?: number, hold?: Uint8Array | null): MotionPixels {
    const { width, height } = this;
    if (frame.width !== width || frame.height !== height) {
      throw new RangeError(`frame is ${frame.width}x${frame.height}, the model ${width}x${height}`);
    }
    const time = t ?? this.frames / this.options.fps;
    const dt = this.lastT === null ? 1 / this.options.fps : M.max(0, time - this.lastT);
    this.lastT = time;
    this.frames++;
    const { data } = frame;
    const n = width * height;
    const { mean, variance, last, steady } = this;
    const o = this.options;
    if (hold && hold.length !== n)
      throw new RangeError(`hold mask has ${hold.length} pixels, the frame ${n}`);
    if (this.frames === 1) {
      const v0 = o.initialSigma * o.initialSigma;
      for (let i = 0; i < n; i++) mean[i] = last[i] = data[i]!;
      variance.fill(v0);
      return this.result(0);
    }
    const gain = this.gain(data);
    const k2 = o.k * o.k;
    const minVar = o.minSigma * o.minSigma;
    const alpha = o.alpha;
    const shake = o.shakeRadius;
    const held = hold ?? null;
    let count = 0;
    // The model scaled to this frame's illumination, in place: learning continues from there.
    if (gain !== 1) for (let i = 0; i < n; i++) mean[i] = mean[i]! * gain;
    this.before.set(mean);
    const matchedNext = this.matchedNext;
    for (let i = 0; i < n; i++) {
      const x = data[i]!;
      const m = mean[i]!;
      const d = x - m;
      const d2 = d * d;
      const v = variance[i]!;
      const floorVar = v > minVar ? v : minVar;
      const limit = k2 * floorVar;
      const step = x - last[i]!;
      last[i] = x;
      const isSteady = step * step <= 2 * limit;
      if (d2 > limit && shake > 0) {
        const nearby = this.explainedNearby(x, i, limit);
        if (nearby !== 0) {
          // Unlike its own model, like a neighbour's: camera shake, or the edge of a ghost. A
          // steady one explained by a neighbour that matched itself last frame is a ghost's
          // edge (shake does not hold still): it takes the value it shows, so a ghost clears
          // from its edges inwards, a pixel per frame, once the object has left.
          matchedNext[i] = 0;
          // Twice in a row, so a noise outlier is never taken for the background.
          const runs =
            isSteady && nearby === 2 && (held === null || held[i] === 0) ? this.edgeRuns[i]! + 1 : 0;
          this.edgeRuns[i] = runs;
          steady[i] = 0;
          if (runs >= 2) {
            mean[i] = x;
            this.edgeRuns[i] = 0;
          }
          continue;
        }
      }
      this.edgeRuns[i] = 0;
      if (d2 <= limit) {
        matchedNext[i] = 1;
        this.verified[i] = 1;
        steady[i] = 0;
        mean[i] = m + alpha * d;
        variance[i] = v + alpha * (d2 - v);
        continue;
      }
      matchedNext[i] = 0;
      // Steady (no frame-to-frame change beyond noise) foreground accumulates time; under a
      // moving object the count pauses (a ghost the object passes over fades no later than
      // the time it was covered).
      if (!isSteady) steady[i] = 0;
      else if (held === null || held[i] === 0 || this.verified[i] === 0) steady[i] = steady[i]! + dt;
      if (steady[i]! >= o.absorbSeconds) {
        mean[i] = x;
        this.verified[i] = 0;
        steady[i] = 0;
        continue;
      }
      // Never matched since the model took this pixel from a frame (the first, or absorption):
      // the model may hold an object that has left, so this is its ghost. It is not reported,
      // and joins the background like any steady foreground.
      if (this.verified[i] === 0) continue;
      if (count === this.indices.length) this.grow();
      this.indices[count] = i;
      this.weights[count] = M.sqrt(d2 / floorVar);
      count++;
    }
    this.matched.set(matchedNext);
    return this.result(count);
  }

  /**
   * Whether a model pixel (as the frame began) within one pixel of i is within the limit of x:
   * 0 none, 1 only neighbours that did not match themselves last frame, 2 one that did.
   */
  private explainedNearby(x: number, i: number, limit: number): 0 | 1 | 2 {
    const { width, height, before, matched } = this;
    const px = i % width;
    const py = (i - px) / width;
    let found: 0 | 1 | 2 = 0;
    for (let dy = -1; dy <= 1; dy++) {
      const y = py + dy;
      if (y < 0 || y >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = px + dx;
        if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
        const q = y * width + xx;
        const d = x - before[q]!;
        if (d * d <= limit) {
          if (matched[q]) return 2;
          found = 1;
        }
      }
    }
    return found;
  }

  /** Median of frame/model over sampled pixels with a usable model value; 1 when too few. */
  private gain(data: Uint8Array | Uint16Array): number {
    const { mean, ratios } = this;
    let m = 0;
    for (let i = 0; i < mean.length; i += SAMPLE_STEP) {
      const b = mean[i]!;
      if (b > 4 * this.options.minSigma) ratios[m++] = data[i]! / b;
    }
    if (m < 16) return 1;
    const sorted = ratios.subarray(0, m).sort();
    const g = sorted[m >> 1]!;
    // Within the noise of the median, keep the model as it is (no drift from rounding).
    return M.abs(g - 1) < 0.002 ? 1 : g;
  }

  private result(count: number): MotionPixels {
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
