import { describe, expect, it } from '@jest/globals';
import { ConstantVelocityKalman } from './kalman-cv.js';

describe('constant-velocity Kalman filter', () => {
  it('learns the velocity of a target moving in a straight line', () => {
    const kf = new ConstantVelocityKalman([0, 0, 0], 0.01, 10);
    for (let i = 1; i <= 30; i++) {
      kf.predict(0.1, 0.01);
      kf.update([0.2 * i, -0.1 * i, 0.05 * i], [1e-4, 1e-4, 1e-4]);
    }
    const v = kf.velocity();
    expect(v[0]).toBeCloseTo(2, 2);
    expect(v[1]).toBeCloseTo(-1, 2);
    expect(v[2]).toBeCloseTo(0.5, 2);
    kf.predict(0.1, 0.01);
    expect(kf.position()[0]).toBeCloseTo(6.2, 2);
  });

  it('matches the closed-form covariance of one predict/update step', () => {
    const kf = new ConstantVelocityKalman([1, 2, 3], 4, 9);
    kf.predict(2, 0);
    // P = F P Fᵀ: p00 = 4 + 4·9 = 40, p01 = 18, p11 = 9
    expect(kf.positionCovariance()[0]).toBeCloseTo(40, 12);
    kf.update([3, 2, 3], [10, 10, 10]);
    // K0 = 40/50, updated p00 = (1 - 0.8)·40 = 8; x moves 0.8 of the innovation 2
    expect(kf.positionCovariance()[0]).toBeCloseTo(8, 12);
    expect(kf.position()[0]).toBeCloseTo(2.6, 12);
    expect(kf.mahalanobis2([2.6, 2, 3], [1, 1, 1])).toBeCloseTo(0, 12);
  });
});
