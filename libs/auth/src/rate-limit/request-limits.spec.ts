import { describe, expect, it } from '@jest/globals';
import { RequestLimits } from './request-limits.js';

describe('RequestLimits', () => {
  it('keeps failed authentications off every key budget and blocks their source instead', () => {
    let now = 0;
    const limits = new RequestLimits({ limit: 3, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 10; i += 1) limits.failed('10.0.0.9');
    expect(limits.sourceBlockedFor('10.0.0.9')).toBe(60);
    expect(limits.sourceBlockedFor('10.0.0.1')).toBe(0);
    // The key the failures claimed to be still has its whole budget.
    expect(limits.hit('key-1', 'Me.me')).toMatchObject({ allowed: true, hits: 1 });
    now = 60_001;
    expect(limits.sourceBlockedFor('10.0.0.9')).toBe(0);
  });

  it('spends a key budget per route, and a failure budget of its own size when given', () => {
    const limits = new RequestLimits({ limit: 2, windowMs: 1_000, failedAuthLimit: 1 });
    expect([1, 2, 3].map(() => limits.hit('k', 'A.a').allowed)).toEqual([true, true, false]);
    expect(limits.hit('k', 'B.b').allowed).toBe(true);
    limits.failed(null);
    expect(limits.sourceBlockedFor(null)).toBe(0);
    limits.failed(null);
    expect(limits.sourceBlockedFor(null)).toBe(1);
  });
});
