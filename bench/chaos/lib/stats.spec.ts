import { describe, expect, it } from '@jest/globals';
import { judgeRss, summarize } from './stats.js';

const series = (values: number[]) => ({
  name: 'p',
  samples: values.map((mb, i) => ({ atMs: i * 1000, mb })),
});

describe('summarize', () => {
  it('gives nearest-rank percentiles and the maximum', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarize(samples)).toEqual({ count: 100, p50: 50, p99: 99, max: 100 });
    expect(summarize([])).toEqual({ count: 0, p50: 0, p99: 0, max: 0 });
  });
});

describe('judgeRss', () => {
  it('accepts a heap that warms up and levels off', () => {
    const warming = [100, 120, 135, 140, 142, 141, 143, 142, 141, 142];
    const verdict = judgeRss(series(warming), 64, 16);
    expect(verdict.growthMb).toBeCloseTo(42);
    expect(verdict.bounded).toBe(true);
  });

  it('refuses steady growth, even when the total stays under the limit', () => {
    const leaking = Array.from({ length: 20 }, (_, i) => 100 + i * 2);
    const verdict = judgeRss(series(leaking), 64, 16);
    expect(verdict.secondHalfGrowthMb).toBeGreaterThan(16);
    expect(verdict.bounded).toBe(false);
  });

  it('needs two samples', () => {
    expect(() => judgeRss(series([1]), 1, 1)).toThrow(/two RSS samples/);
  });
});
