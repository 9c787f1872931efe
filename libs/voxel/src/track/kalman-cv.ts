import type { Vec3 } from '../math/mat3.js';

/**
 * Constant-velocity Kalman filter in 3D. With white-acceleration process noise and a
 * diagonal position measurement the three axes are independent, so the state is kept as
 * three [position, velocity] pairs with 2x2 covariances: exact for this model and cheap.
 */
export class ConstantVelocityKalman {
  readonly x = new Float64Array(6); // [p, v] per axis
  readonly P = new Float64Array(12); // [p00, p01, p10, p11] per axis (p01 = p10)

  constructor(position: Vec3, positionVariance: number, velocityVariance: number) {
    for (let a = 0; a < 3; a++) {
      this.x[2 * a] = position[a]!;
      this.P[4 * a] = positionVariance;
      this.P[4 * a + 3] = velocityVariance;
    }
  }

  /** Advances by dt seconds; q is the acceleration noise spectral density (m²/s³). */
  predict(dt: number, q: number): void {
    const dt2 = dt * dt;
    for (let a = 0; a < 3; a++) {
      this.x[2 * a]! += dt * this.x[2 * a + 1]!;
      const o = 4 * a;
      const p00 = this.P[o]!;
      const p01 = this.P[o + 1]!;
      const p11 = this.P[o + 3]!;
      this.P[o] = p00 + 2 * dt * p01 + dt2 * p11 + (q * dt2 * dt) / 3;
      this.P[o + 1] = this.P[o + 2] = p01 + dt * p11 + (q * dt2) / 2;
      this.P[o + 3] = p11 + q * dt;
    }
  }

  /** Squared Mahalanobis distance of a position measurement with per-axis variance r. */
  mahalanobis2(z: Vec3, r: Vec3): number {
    let d2 = 0;
    for (let a = 0; a < 3; a++) {
      const y = z[a]! - this.x[2 * a]!;
      d2 += (y * y) / (this.P[4 * a]! + r[a]!);
    }
    return d2;
  }

  update(z: Vec3, r: Vec3): void {
    for (let a = 0; a < 3; a++) {
      const o = 4 * a;
      const p00 = this.P[o]!;
      const p01 = this.P[o + 1]!;
      const p11 = this.P[o + 3]!;
      const s = p00 + r[a]!;
      const k0 = p00 / s;
      const k1 = p01 / s;
      const y = z[a]! - this.x[2 * a]!;
      this.x[2 * a]! += k0 * y;
      this.x[2 * a + 1]! += k1 * y;
      this.P[o] = (1 - k0) * p00;
      this.P[o + 1] = this.P[o + 2] = (1 - k0) * p01;
      this.P[o + 3] = p11 - k1 * p01;
    }
  }

  position(): Vec3 {
    return [this.x[0]!, this.x[2]!, this.x[4]!];
  }

  velocity(): Vec3 {
    return [this.x[1]!, this.x[3]!, this.x[5]!];
  }

  /** 3x3 row-major position covariance (diagonal in this model). */
  positionCovariance(): number[] {
    return [this.P[0]!, 0, 0, 0, this.P[4]!, 0, 0, 0, this.P[8]!];
  }
}
