import { describe, expect, it } from '@jest/globals';
import { ImmKalman } from './imm-kalman.js';

describe('IMM filter', () => {
  it('predicts the same covariance (within 5 %) over a second at 10 and at 30 fps', () => {
    const a = new ImmKalman([0, 0, 0], 1e-3, 4);
    const b = new ImmKalman([0, 0, 0], 1e-3, 4);
    a.update([0.1, 0, 0], [1e-3, 1e-3, 1e-3]);
    b.update([0.1, 0, 0], [1e-3, 1e-3, 1e-3]);
    for (let i = 0; i < 10; i++) a.predict(0.1);
    for (let i = 0; i < 30; i++) b.predict(1 / 30);
    // Noise is a spectral density and switching a rate per second; only the mixing of the two
    // models happens per step, which is what the 5 % allows for.
    a.positionCovariance().forEach((v, i) => {
      const w = b.positionCovariance()[i]!;
      expect(Math.abs(v - w)).toBeLessThanOrEqual(0.05 * Math.max(Math.abs(v), Math.abs(w)));
    });
    expect(a.manoeuvreProbability).toBeCloseTo(b.manoeuvreProbability, 1);
  });

  it('moves to the manoeuvre model when a turn leaves the steady prediction', () => {
    const f = new ImmKalman([0, 0, 0], 1e-3, 1);
    const r: [number, number, number] = [1e-3, 1e-3, 1e-3];
    for (let i = 1; i <= 10; i++) {
      f.predict(0.1);
      f.update([0.3 * i, 0, 0], r);
    }
    const steady = f.manoeuvreProbability;
    // A 3 g turn at 3 m/s: a circle of radius v² / a, 0.98 rad per frame.
    const radius = 9 / (3 * 9.80665);
    const omega = 3 / radius;
    let peak = 0;
    for (let i = 1; i <= 3; i++) {
      const phase = omega * 0.1 * i;
      f.predict(0.1);
      f.update([3 + radius * Math.sin(phase), radius * (1 - Math.cos(phase)), 0], r);
      peak = Math.max(peak, f.manoeuvreProbability);
    }
    expect(steady).toBeLessThan(0.1);
    expect(peak).toBeGreaterThan(0.5);
  });
});
