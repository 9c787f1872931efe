import type { Detection } from '../detect/detect-objects.js';
import type { Vec3 } from '../math/mat3.js';
import { solveAssignment } from './hungarian.js';
import { ConstantVelocityKalman } from './kalman-cv.js';

export type TrackState = 'tentative' | 'confirmed' | 'coasting' | 'deleted';

/** What the tracker reports per track per frame-set. */
export interface TrackOutput {
  trackId: number;
  /** Time of the frame-set, seconds. */
  t: number;
  position: Vec3;
  velocity: Vec3;
  /** 3x3 row-major position covariance, m². */
  covariance: number[];
  confidence: number;
  state: TrackState;
}

export interface TrackerOptions {
  /** Confirm a tentative track after `confirmHits` hits within its last `confirmWindow` frame-sets. */
  confirmHits: number;
  confirmWindow: number;
  /** A confirmed track missing this many frame-sets in a row is deleted (coasting until then). */
  maxCoastFrames: number;
  /** Squared Mahalanobis gate (3 degrees of freedom; 16.27 keeps 99.9 % of true matches). */
  gateChi2: number;
  /** Acceleration noise spectral density, m²/s³. */
  processNoise: number;
  /** Position measurement variance per axis, m². */
  measurementVariance: number;
  /** Velocity variance of a new track, (m/s)². */
  initialVelocityVariance: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  confirmHits: 3,
  confirmWindow: 5,
  maxCoastFrames: 5,
  gateChi2: 16.27,
  processNoise: 1,
  measurementVariance: 0.0025,
  initialVelocityVariance: 4,
};

interface Track {
  id: number;
  filter: ConstantVelocityKalman;
  state: TrackState;
  /** Hit (1) / miss (0) history, newest in bit 0. */
  history: number;
  age: number;
  missesInRow: number;
  confidence: number;
}

function bitCount(x: number, window: number): number {
  let c = 0;
  for (let i = 0; i < window; i++) c += (x >>> i) & 1;
  return c;
}

/**
 * Multi-target tracker: constant-velocity Kalman per track, gated Hungarian assignment of
 * detections, lifecycle tentative → confirmed (M of N) → coasting → deleted. Ids are never
 * reused. Pure: time comes in with each update.
 */
export class MultiTargetTracker {
  private readonly options: TrackerOptions;
  private tracks: Track[] = [];
  private nextId = 1;
  private lastTime: number | null = null;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
    const o = this.options;
    if (o.confirmHits < 1 || o.confirmHits > o.confirmWindow || o.confirmWindow > 30) {
      throw new RangeError('need 1 <= confirmHits <= confirmWindow <= 30');
    }
  }

  /** Feeds the detections of the frame-set at time t (seconds, increasing); returns every track's state. */
  update(t: number, detections: Detection[]): TrackOutput[] {
    if (this.lastTime !== null && !(t > this.lastTime)) throw new RangeError('frame-set times must increase');
    const dt = this.lastTime === null ? 0 : t - this.lastTime;
    this.lastTime = t;
    const o = this.options;
    for (const track of this.tracks) track.filter.predict(dt, o.processNoise);

    const r: Vec3 = [o.measurementVariance, o.measurementVariance, o.measurementVariance];
    const rows = this.tracks.length;
    const cols = detections.length;
    const cost = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const d2 = this.tracks[i]!.filter.mahalanobis2(detections[j]!.position, r);
        // Confirmed tracks win ties against tentative ones competing for the same detection.
        cost[i * cols + j] =
          d2 > o.gateChi2 ? Infinity : d2 + (this.tracks[i]!.state === 'tentative' ? 1 : 0);
      }
    }
    const assignment = solveAssignment(cost, rows, cols);
    const used = new Uint8Array(cols);
    const out: TrackOutput[] = [];
    const survivors: Track[] = [];
    this.tracks.forEach((track, i) => {
      const j = assignment[i]!;
      track.age++;
      track.history = ((track.history << 1) | (j >= 0 ? 1 : 0)) & ((1 << o.confirmWindow) - 1);
      if (j >= 0) {
        used[j] = 1;
        const det = detections[j]!;
        track.filter.update(det.position, r);
        track.missesInRow = 0;
        track.confidence = 0.7 * track.confidence + 0.3 * det.confidence;
      } else {
        track.missesInRow++;
        track.confidence *= 0.8;
      }
      this.advanceLifecycle(track);
      out.push(this.output(track, t));
      if (track.state !== 'deleted') survivors.push(track);
    });
    detections.forEach((det, j) => {
      if (used[j]) return;
      const track: Track = {
        id: this.nextId++,
        filter: new ConstantVelocityKalman(det.position, o.measurementVariance, o.initialVelocityVariance),
        state: o.confirmHits === 1 ? 'confirmed' : 'tentative',
        history: 1,
        age: 1,
        missesInRow: 0,
        confidence: det.confidence,
      };
      survivors.push(track);
      out.push(this.output(track, t));
    });
    this.tracks = survivors;
    return out;
  }

  /** Tracks alive after the last update (tentative, confirmed or coasting). */
  get activeTrackCount(): number {
    return this.tracks.length;
  }

  private advanceLifecycle(track: Track): void {
    const o = this.options;
    const hits = bitCount(track.history, o.confirmWindow);
    switch (track.state) {
      case 'tentative': {
        if (hits >= o.confirmHits) track.state = 'confirmed';
        else if (
          hits + Math.max(0, o.confirmWindow - track.age) < o.confirmHits ||
          track.age >= o.confirmWindow
        ) {
          // Too few hits left in the window to ever confirm.
          track.state = 'deleted';
        }
        break;
      }
      case 'confirmed':
      case 'coasting':
        if (track.missesInRow === 0) track.state = 'confirmed';
        else if (track.missesInRow > o.maxCoastFrames) track.state = 'deleted';
        else track.state = 'coasting';
        break;
      case 'deleted':
        break;
    }
  }

  private output(track: Track, t: number): TrackOutput {
    return {
      trackId: track.id,
      t,
      position: track.filter.position(),
      velocity: track.filter.velocity(),
      covariance: track.filter.positionCovariance(),
      confidence: track.confidence,
      state: track.state,
    };
  }
}
