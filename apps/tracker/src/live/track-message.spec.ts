import { describe, expect, it } from '@jest/globals';
import { trackMessage } from './track-message.js';

describe('trackMessage', () => {
  it('keeps 0.1 mm and six significant covariance digits, and prints short', () => {
    const message = trackMessage({
      trackId: 7,
      t: 1.25,
      position: [1.234567891, -0.000049, 2.5],
      velocity: [0.1 + 0.2, 0, -3.33333333],
      covariance: [0.0123456789, 0, 0, 0, 1e-7 / 3, 0, 0, 0, 4],
      confidence: 0.987654,
      state: 'coasting',
    });
    expect(message.position).toEqual([1.2346, -0, 2.5]);
    expect(message.velocity).toEqual([0.3, 0, -3.3333]);
    expect(message.covariance[0]).toBe(0.0123457);
    expect(message.covariance[4]).toBeCloseTo(3.33333e-8, 14);
    expect(message.confidence).toBe(0.9877);
    expect(JSON.stringify(message).length).toBeLessThan(180);
  });
});
