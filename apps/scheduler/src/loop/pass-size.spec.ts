import { describe, expect, it } from '@jest/globals';
import { MAX_PASS_GROWTH, nextPassScale } from './pass-size.js';

describe('nextPassScale', () => {
  it('doubles while passes are full, up to the cap', () => {
    const scales: number[] = [];
    let scale = 1;
    for (let i = 0; i < 5; i += 1) scales.push((scale = nextPassScale(scale, true)));
    expect(scales).toEqual([2, 4, MAX_PASS_GROWTH, MAX_PASS_GROWTH, MAX_PASS_GROWTH]);
  });

  it('goes back to the configured batch after the first pass that is not full', () => {
    expect(nextPassScale(MAX_PASS_GROWTH, false)).toBe(1);
    expect(nextPassScale(1, false)).toBe(1);
  });
});
