import type { Vec3 } from '../math/mat3.js';
import { ConstantVelocityKalman } from './kalman-cv.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/** The two motion models and how often targets switch between them, in physical units. */
export interface ImmModels {
  /** Acceleration noise spectral density of steady flight, m²/s³. */
  quietNoise: number;
  /** ... of a manoeuvre, m²/s³: a² · τ for turns at a m/s² lasting about τ s. */
  manoeuvreNoise: number;
  /** Rates of switching steady → manoeuvre and back, per second. */
  toManoeuvrePerSecond: number;
  toQuietPerSecond: number;
}

/** 3 g turns of about 0.2 s: (3 · 9.81)² · 0.2 ≈ 173 m²/s³. */
export const DEFAULT_IMM_MODELS: ImmModels = {
  quietNoise: 1,
  manoeuvreNoise: (3 * 9.80665) ** 2 * 0.2,
  toManoeuvrePerSecond: 1,
  toQuietPerSecond: 2,
};

/**
 * Interacting multiple model filter over two constant-velocity Kalman filters that differ
 * only in process noise (steady flight, manoeuvre). Mixing, prediction with each model's
 * noise, likelihood-weighted mode probabilities and the moment-matched estimate, per the
 * standard IMM recursion. Switching probabilities come from rates per second and the step's
 * dt, and noise is a spectral density, so the frame rate does not change the behaviour.
 */
export class ImmKalman {
  private readonly filters: [ConstantVelocityKalman, ConstantVelocityKalman];
  /** Mode probabilities [quiet, manoeuvre]. */
  readonly mode = new Float64Array([0.8, 0.2]);
  private readonly combinedX = new Float64Array(6);
  private readonly combinedP = new Float64Array(12);

  constructor(
    position: Vec3,
    positionVariance: number,
    velocityVariance: number,
    private readonly models: ImmModels = DEFAULT_IMM_MODELS,
  ) {
    this.filters = [
      new ConstantVelocityKalman(position, positionVariance, velocityVariance),
      new ConstantVelocityKalman(position, positionVariance, velocityVariance),
    ];
    this.combine();
  }

  predict(dt: number): void {
    const [a, b] = this.filters;
    const p01 = 1 - M.exp(-this.models.toManoeuvrePerSecond * dt);
    const p10 = 1 - M.exp(-this.models.toQuietPerSecond * dt);
    const [m0, m1] = this.mode;
    const c0 = (1 - p01) * m0! + p10 * m1!;
    const c1 = p01 * m0! + (1 - p10) * m1!;
    // Mixing weights: w[i][j] = P(model i before | model j now).
    const w00 = c0 > 0 ? ((1 - p01) * m0!) / c0 : 1;
    const w10 = 1 - w00;
    const w01 = c1 > 0 ? (p01 * m0!) / c1 : 0;
    const w11 = 1 - w01;
    const mixed0 = mix(a, b, w00, w10);
    const mixed1 = mix(a, b, w01, w11);
    a.x.set(mixed0.x);
    a.P.set(mixed0.P);
    b.x.set(mixed1.x);
    b.P.set(mixed1.P);
    a.predict(dt, this.models.quietNoise);
    b.predict(dt, this.models.manoeuvreNoise);
    this.mode[0] = c0;
    this.mode[1] = c1;
    this.combine();
  }

  /** Squared Mahalanobis distance of a position measurement against the combined prediction. */
  mahalanobis2(z: Vec3, r: Vec3): number {
    let d2 = 0;
    for (let a = 0; a < 3; a++) {
      const y = z[a]! - this.combinedX[2 * a]!;
      d2 += (y * y) / (this.combinedP[4 * a]! + r[a]!);
    }
    return d2;
  }

  update(z: Vec3, r: Vec3): void {
    // Log-likelihood of the measurement under each model's prediction (diagonal innovation).
    const logL = this.filters.map((f) => {
      let l = 0;
      for (let a = 0; a < 3; a++) {
        const s = f.P[4 * a]! + r[a]!;
        const y = z[a]! - f.x[2 * a]!;
        l += -0.5 * ((y * y) / s + M.log(s));
      }
      return l;
    });
    const top = M.max(logL[0]!, logL[1]!);
    const u0 = this.mode[0]! * M.exp(logL[0]! - top);
    const u1 = this.mode[1]! * M.exp(logL[1]! - top);
    const sum = u0 + u1;
    // Keep both models alive: a probability pinned at 0 could never come back.
    const floor = 1e-4;
    const q1 = M.min(1 - floor, M.max(floor, sum > 0 ? u1 / sum : 0.5));
    this.mode[0] = 1 - q1;
    this.mode[1] = q1;
    for (const f of this.filters) f.update(z, r);
    this.combine();
  }

  /** Probability that the target is manoeuvring. */
  get manoeuvreProbability(): number {
    return this.mode[1]!;
  }

  position(): Vec3 {
    return [this.combinedX[0]!, this.combinedX[2]!, this.combinedX[4]!];
  }

  velocity(): Vec3 {
    return [this.combinedX[1]!, this.combinedX[3]!, this.combinedX[5]!];
  }

  positionCovariance(): number[] {
    return [this.combinedP[0]!, 0, 0, 0, this.combinedP[4]!, 0, 0, 0, this.combinedP[8]!];
  }

  private combine(): void {
    const mixed = mix(this.filters[0], this.filters[1], this.mode[0]!, this.mode[1]!);
    this.combinedX.set(mixed.x);
    this.combinedP.set(mixed.P);
  }
}

/** Weighted mixture of two filters' states, with the spread of the means added to the covariance. */
function mix(
  a: ConstantVelocityKalman,
  b: ConstantVelocityKalman,
  wa: number,
  wb: number,
): { x: Float64Array; P: Float64Array } {
  const x = new Float64Array(6);
  const P = new Float64Array(12);
  for (let axis = 0; axis < 3; axis++) {
    const i = 2 * axis;
    const o = 4 * axis;
    const p = wa * a.x[i]! + wb * b.x[i]!;
    const v = wa * a.x[i + 1]! + wb * b.x[i + 1]!;
    x[i] = p;
    x[i + 1] = v;
    const dap = a.x[i]! - p;
    const dav = a.x[i + 1]! - v;
    const dbp = b.x[i]! - p;
    const dbv = b.x[i + 1]! - v;
    P[o] = wa * (a.P[o]! + dap * dap) + wb * (b.P[o]! + dbp * dbp);
    P[o + 1] = P[o + 2] = wa * (a.P[o + 1]! + dap * dav) + wb * (b.P[o + 1]! + dbp * dbv);
    P[o + 3] = wa * (a.P[o + 3]! + dav * dav) + wb * (b.P[o + 3]! + dbv * dbv);
  }
  return { x, P };
}
