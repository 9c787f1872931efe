import type { Detection } from '../detect/detect-objects.js';
import type { Vec3 } from '../math/mat3.js';
import { solveAssignment } from './hungarian.js';
import { DEFAULT_IMM_MODELS, ImmKalman } from './imm-kalman.js';

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
  /** A confirmed track missing more than this many frame-sets in a row is deleted (coasting until then). */
  maxCoastFrames: number;
  /** ... or missing for longer than this, seconds: the same time at any frame rate. */
  maxCoastSeconds: number;

  /** Squared Mahalanobis gate (3 degrees of freedom; 16.27 keeps 99.9 % of true matches). */
  gateChi2: number;
  /** Acceleration noise spectral density of steady flight, m²/s³. */
  processNoise: number;
  /** ... during a manoeuvre (the IMM's second model), m²/s³. */
  manoeuvreNoise: number;
  /**
   * A tentative track is confirmed only once it has moved this far from where it was born,
   * metres: motion that never moves is a ghost (an object left, a background change), not a
   * target. 0 confirms on hits alone.
   */
  minBirthDisplacement: number;
  /**
   * A published track still (below minBirthSpeed) within this distance of where it was born,
   * metres, is unpublished: the ghost it came from spreads up to a target radius. Defaults to
   * four birth displacements.
   */
  restRadius: number;
  /**
   * ... and only if its mean speed since birth is at least this, m/s: the ghost an object
   * leaves drifts as it fades from its edges, slower than targets fly. 0 disables.
   */
  minBirthSpeed: number;
  /** A tentative track not confirmed within this many seconds is dropped. */
  maxTentativeSeconds: number;
  /**
   * Published tracks closer than this (metres) with velocities within mergeSpeed (m/s) are
   * one object: the younger is dropped; no track is born this close to a published one.
   * 0 disables.
   */
  mergeDistance: number;
  mergeSpeed: number;
  /** Position measurement variance per axis, m². */
  measurementVariance: number;
  /** Velocity variance of a new track, (m/s)². */
  initialVelocityVariance: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  confirmHits: 3,
  confirmWindow: 5,
  maxCoastFrames: 5,
  maxCoastSeconds: Infinity,
  gateChi2: 16.27,
  processNoise: DEFAULT_IMM_MODELS.quietNoise,
  manoeuvreNoise: DEFAULT_IMM_MODELS.manoeuvreNoise,
  minBirthDisplacement: 0,
  minBirthSpeed: 0,
  restRadius: NaN,
  maxTentativeSeconds: Infinity,
  mergeDistance: 0,
  mergeSpeed: 1,
  measurementVariance: 0.0025,
  initialVelocityVariance: 4,
};

/** A published track as a sphere: where the tracker believes an object is. */
export interface TrackedObject {
  position: Vec3;
  velocity: Vec3;
  /** Bounding radius of its recent detections, metres. */
  radius: number;
  /** Time of the state, seconds. */
  t: number;
}

interface Track {
  id: number;
  filter: ImmKalman;
  /** Bounding radius of its detections (running mean), metres. */
  radius: number;
  state: TrackState;
  born: Vec3;
  /** The last detection it took: displacement since birth is measured on detections, not on
   * the filter, which starts at rest and lags. */
  lastSeen: Vec3;
  /** Unpublished for coming to rest where it was born: it must leave restRadius to be published again. */
  demoted: boolean;
  bornAt: number;
  lastHitAt: number;
  /** Hit (1) / miss (0) history, newest in bit 0. */
  history: number;
  age: number;
  missesInRow: number;
  confidence: number;
}

function within(a: Vec3, b: Vec3, distance: number): boolean {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) < distance;
}

/**
 * Radius of the sphere whose voxels would spread like the detection's: a solid sphere of
 * radius r has variance r²/5 along each axis.
 */
function boundingRadius(det: Detection): number {
  const c = det.covariance;
  return Math.sqrt(5 * Math.max(c[0] ?? 0, c[4] ?? 0, c[8] ?? 0));
}

function bitCount(x: number, window: number): number {
  let c = 0;
  for (let i = 0; i < window; i++) c += (x >>> i) & 1;
  return c;
}

/**
 * Multi-target tracker: an IMM filter per track (steady flight and manoeuvre, both constant
 * velocity with process noise in m²/s³), Hungarian assignment gated by the Mahalanobis
 * distance under the predicted covariance, lifecycle tentative → confirmed (M of N hits, and
 * moved since birth when minBirthDisplacement is set) → coasting (re-acquired through the
 * widening gate after a short occlusion) → deleted. Ids are never reused. Pure: time comes
 * in with each update.
 */
export class MultiTargetTracker {
  private readonly options: TrackerOptions;
  private tracks: Track[] = [];
  private nextId = 1;
  private lastTime: number | null = null;

  private readonly models: typeof DEFAULT_IMM_MODELS;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
    const o = this.options;
    this.models = { ...DEFAULT_IMM_MODELS, quietNoise: o.processNoise, manoeuvreNoise: o.manoeuvreNoise };
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
    for (const track of this.tracks) track.filter.predict(dt);

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
        track.radius = 0.8 * track.radius + 0.2 * boundingRadius(det);
        track.missesInRow = 0;
        track.lastHitAt = t;
        track.lastSeen = det.position;
        track.confidence = 0.7 * track.confidence + 0.3 * det.confidence;
      } else {
        track.missesInRow++;
        track.confidence *= 0.8;
      }
      this.advanceLifecycle(track, t);
      out.push(this.output(track, t));
      if (track.state !== 'deleted') survivors.push(track);
    });
    // A second piece of an object already tracked (a split detection) founds no track.
    const established = survivors.filter((tr) => tr.state === 'confirmed' || tr.state === 'coasting');
    detections.forEach((det, j) => {
      if (used[j]) return;
      if (
        o.mergeDistance > 0 &&
        established.some((tr) => within(tr.filter.position(), det.position, o.mergeDistance))
      )
        return;
      const track: Track = {
        id: this.nextId++,
        filter: new ImmKalman(det.position, o.measurementVariance, o.initialVelocityVariance, this.models),
        radius: boundingRadius(det),
        state: o.confirmHits === 1 && o.minBirthDisplacement <= 0 ? 'confirmed' : 'tentative',
        born: det.position,
        lastSeen: det.position,
        demoted: false,
        bornAt: t,
        lastHitAt: t,
        history: 1,
        age: 1,
        missesInRow: 0,
        confidence: det.confidence,
      };
      survivors.push(track);
      out.push(this.output(track, t));
    });
    this.tracks = o.mergeDistance > 0 ? this.mergeDuplicates(survivors, out, t) : survivors;
    return out;
  }

  /**
   * Two published tracks on one object (born from pieces of one detection, or one coasting
   * into another's target): the younger is deleted once they are within mergeDistance with
   * velocities within mergeSpeed.
   */
  private mergeDuplicates(tracks: Track[], out: TrackOutput[], t: number): Track[] {
    const o = this.options;
    const published = (tr: Track) => tr.state === 'confirmed' || tr.state === 'coasting';
    const gone = new Set<Track>();
    for (let a = 0; a < tracks.length; a++) {
      const ta = tracks[a]!;
      if (gone.has(ta) || !published(ta)) continue;
      for (let b = a + 1; b < tracks.length; b++) {
        const tb = tracks[b]!;
        if (gone.has(tb) || !published(tb)) continue;
        if (!within(ta.filter.position(), tb.filter.position(), o.mergeDistance)) continue;
        if (!within(ta.filter.velocity(), tb.filter.velocity(), o.mergeSpeed)) continue;
        const younger = ta.id > tb.id ? ta : tb;
        gone.add(younger);
        if (younger === ta) break;
      }
    }
    if (gone.size === 0) return tracks;
    for (const tr of gone) {
      tr.state = 'deleted';
      const i = out.findIndex((x) => x.trackId === tr.id);
      if (i >= 0) out[i] = this.output(tr, t);
    }
    return tracks.filter((tr) => !gone.has(tr));
  }

  /** The confirmed tracks (hit in the last update) flying at `minSpeed` m/s or more, as spheres. */
  movingObjects(minSpeed: number): TrackedObject[] {
    const t = this.lastTime ?? 0;
    const out: TrackedObject[] = [];
    for (const tr of this.tracks) {
      // Only a track that had a detection this frame-set: a coasting one may be flying off.
      if (tr.state !== 'confirmed') continue;
      const velocity = tr.filter.velocity();
      if (Math.hypot(velocity[0], velocity[1], velocity[2]) < minSpeed) continue;
      out.push({ position: tr.filter.position(), velocity, radius: tr.radius, t });
    }
    return out;
  }

  /** Tracks alive after the last update (tentative, confirmed or coasting). */
  get activeTrackCount(): number {
    return this.tracks.length;
  }

  private advanceLifecycle(track: Track, t: number): void {
    const o = this.options;
    const hits = bitCount(track.history, o.confirmWindow);
    switch (track.state) {
      case 'tentative': {
        if (hits >= o.confirmHits && o.minBirthDisplacement > 0) {
          // Enough hits: confirmed once it has moved; a still one waits, and a ghost times out.
          const p = track.lastSeen;
          const moved = Math.hypot(p[0] - track.born[0], p[1] - track.born[1], p[2] - track.born[2]);
          const age = t - track.bornAt;
          // A track back at rest where it was born (a ghost, or its object stopped there) must
          // leave the ghost's extent at flying speed, not just jitter in it, to be published again.
          const v = track.filter.velocity();
          const leaving = moved >= this.restRadius() && Math.hypot(v[0], v[1], v[2]) >= o.minBirthSpeed;
          const born = moved >= o.minBirthDisplacement && moved >= o.minBirthSpeed * age;
          if (track.demoted ? leaving : born) track.state = 'confirmed';
          else if (track.missesInRow > 0 || age > o.maxTentativeSeconds) track.state = 'deleted';
        } else if (hits >= o.confirmHits) track.state = 'confirmed';
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
        if (this.backAtBirth(track)) {
          // Came to rest where it was born: the ghost of an object that was there (an object
          // and its ghost start as one blob, so a track born on both may stay with the
          // ghost). Unpublished; it is confirmed again if it moves off.
          track.state = 'tentative';
          track.bornAt = t;
          track.demoted = true;
        } else if (track.missesInRow === 0) track.state = 'confirmed';
        else if (track.missesInRow > o.maxCoastFrames || t - track.lastHitAt > o.maxCoastSeconds)
          track.state = 'deleted';
        else track.state = 'coasting';
        break;
      case 'deleted':
        break;
    }
  }

  private restRadius(): number {
    const o = this.options;
    return Number.isNaN(o.restRadius) ? 4 * o.minBirthDisplacement : o.restRadius;
  }

  /** Still, within restRadius of where it was born (only with the birth rule). */
  private backAtBirth(track: Track): boolean {
    const o = this.options;
    if (o.minBirthDisplacement <= 0) return false;
    const p = track.filter.position();
    const v = track.filter.velocity();
    const fromBirth = Math.hypot(p[0] - track.born[0], p[1] - track.born[1], p[2] - track.born[2]);
    return fromBirth < this.restRadius() && Math.hypot(v[0], v[1], v[2]) < o.minBirthSpeed;
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
