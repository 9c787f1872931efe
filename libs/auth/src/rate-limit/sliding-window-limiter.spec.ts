import { describe, expect, it } from '@jest/globals';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

describe('SlidingWindowLimiter', () => {
  it('lets `limit` hits through per window, refuses the next with the time left, and keeps keys apart', () => {
    let now = 1_000;
    const limiter = new SlidingWindowLimiter(3, 10_000, 10_000, () => now);
    const answers = [0, 1, 2, 3, 4].map(() => limiter.hit('a'));
    expect(answers.map((a) => a.allowed)).toEqual([true, true, true, false, false]);
    expect(answers.map((a) => a.hits).slice(0, 3)).toEqual([1, 2, 3]);
    expect(answers[0]?.resetSeconds).toBe(10);
    expect(answers[3]?.retryAfterSeconds).toBe(10);
    expect(limiter.hit('b').allowed).toBe(true);
    now += 4_500;
    expect(limiter.hit('a')).toMatchObject({ allowed: false, retryAfterSeconds: 6 });
  });

  it('starts a blocked key over once the block ends', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(2, 1_000, 5_000, () => now);
    limiter.hit('k');
    limiter.hit('k');
    expect(limiter.hit('k').allowed).toBe(false);
    now = 4_999;
    expect(limiter.hit('k').allowed).toBe(false);
    now = 5_000;
    expect(limiter.hit('k')).toMatchObject({ allowed: true, hits: 1 });
  });

  it('slides: a hit leaves the count once it is a window old', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(2, 1_000, 1_000, () => now);
    limiter.hit('k');
    now = 600;
    expect(limiter.hit('k')).toMatchObject({ allowed: true, hits: 2 });
    now = 1_000;
    expect(limiter.hit('k')).toMatchObject({ allowed: true, hits: 2 });
    now = 1_100;
    expect(limiter.hit('k').allowed).toBe(false);
  });

  it('holds only live hits however long a key is used', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(1_000_000, 100, 100, () => now);
    for (let i = 0; i < 50_000; i += 1) {
      now = i;
      expect(limiter.hit('k').hits).toBeLessThanOrEqual(100);
    }
  });
});
