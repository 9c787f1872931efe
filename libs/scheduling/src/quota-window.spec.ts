import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { firstIndexAbove, RATE_WINDOW_MS, submissionsInWindow, submissionWindow } from './quota.js';
import { chargeAdmission } from './tenant-usage.js';
import { aJob, EMPTY_USAGE } from './testing/fixtures.js';

describe('rate window', () => {
  const times = fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 60 });

  it('gives the same window for sorted and unsorted usage, and the same as a plain filter', () => {
    fc.assert(
      fc.property(times, fc.integer({ min: 0, max: 200_000 }), (values, now) => {
        const expected = values.filter((t) => t > now - RATE_WINDOW_MS && t <= now).sort((a, b) => a - b);
        expect(submissionsInWindow(values, now)).toEqual(expected);
        expect(
          submissionsInWindow(
            [...values].sort((a, b) => a - b),
            now,
          ),
        ).toEqual(expected);
      }),
    );
  });

  it('counts and indexes the window as the copied window would, sorted or not', () => {
    fc.assert(
      fc.property(times, fc.integer({ min: 0, max: 200_000 }), fc.boolean(), (values, now, sort) => {
        const usage = sort ? [...values].sort((a, b) => a - b) : values;
        const copied = submissionsInWindow(usage, now);
        const window = submissionWindow(usage, now);
        expect(window.count).toBe(copied.length);
        for (let i = 0; i < copied.length; i += 1) expect(window.oldest(i)).toBe(copied[i]);
      }),
    );
  });

  it('finds the first value above a bound by binary search', () => {
    fc.assert(
      fc.property(times, fc.integer({ min: -1, max: 200_001 }), (values, bound) => {
        const sorted = [...values].sort((a, b) => a - b);
        const index = sorted.findIndex((v) => v > bound);
        expect(firstIndexAbove(sorted, bound)).toBe(index === -1 ? sorted.length : index);
      }),
    );
  });

  it('charging an admission drops entries that left the window and appends the new one', () => {
    const usage = { ...EMPTY_USAGE, recentSubmissionsMs: [1_000, 50_000, 70_000] };
    const charged = chargeAdmission(usage, aJob(), 100_000);
    expect(charged.recentSubmissionsMs).toEqual([50_000, 70_000, 100_000]);
    const unsorted = chargeAdmission(
      { ...usage, recentSubmissionsMs: [70_000, 1_000, 50_000] },
      aJob(),
      100_000,
    );
    expect(unsorted.recentSubmissionsMs).toEqual([70_000, 50_000, 100_000]);
  });
});
