import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  addUsage,
  decayedUsageFromHistory,
  decayUsage,
  fairShareKey,
  type UsageSample,
} from './fair-share.js';

const HOUR = 3_600_000;

describe('fair share', () => {
  it('halves usage every half-life', () => {
    expect(decayUsage({ gpuSeconds: 100, atMs: 0 }, HOUR, HOUR).gpuSeconds).toBeCloseTo(50);
    expect(decayUsage({ gpuSeconds: 100, atMs: 0 }, 3 * HOUR, HOUR).gpuSeconds).toBeCloseTo(12.5);
  });

  it('does not grow usage when asked about an earlier time', () => {
    expect(decayUsage({ gpuSeconds: 100, atMs: HOUR }, 0, HOUR)).toEqual({ gpuSeconds: 100, atMs: HOUR });
  });

  it('divides by weight, so a heavier tenant may use proportionally more', () => {
    const usage = { gpuSeconds: 100, atMs: 0 };
    expect(fairShareKey({ decayedUsage: usage, weight: 2 }, 0)).toBe(50);
    expect(fairShareKey({ decayedUsage: usage }, 0)).toBe(100);
    expect(fairShareKey({ decayedUsage: usage, weight: 0 }, 0)).toBe(100);
    expect(fairShareKey({}, 0)).toBe(0);
  });

  it('lets a burst fade: an old burst counts less than steady recent use', () => {
    const burst = addUsage(undefined, { atMs: 0, gpuSeconds: 1000 }, HOUR);
    let steady = addUsage(undefined, { atMs: 5 * HOUR, gpuSeconds: 40 }, HOUR);
    steady = addUsage(steady, { atMs: 6 * HOUR, gpuSeconds: 40 }, HOUR);
    expect(fairShareKey({ decayedUsage: burst }, 6 * HOUR, HOUR)).toBeLessThan(
      fairShareKey({ decayedUsage: steady }, 6 * HOUR, HOUR),
    );
  });

  it('folds samples in any order to the same total as the raw history', () => {
    const sampleArb = fc.record({
      atMs: fc.integer({ min: 0, max: 10 * HOUR }),
      gpuSeconds: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 20 }), (samples: UsageSample[]) => {
        const now = 11 * HOUR;
        let folded = addUsage(undefined, samples[0] as UsageSample, HOUR);
        for (const sample of samples.slice(1)) folded = addUsage(folded, sample, HOUR);
        const expected = decayedUsageFromHistory(samples, now, HOUR);
        expect(decayUsage(folded, now, HOUR).gpuSeconds).toBeCloseTo(expected, 6);
      }),
      { numRuns: 200 },
    );
  });
});
