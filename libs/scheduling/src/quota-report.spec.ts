import { describe, expect, it } from '@jest/globals';
import { checkDeadlines } from './deadlines.js';
import { quotaReport } from './quota-report.js';
import { aJob, aTenant, anEdition, EMPTY_USAGE, GENEROUS_QUOTA } from './testing/fixtures.js';
import { GIB } from './units.js';

describe('quotaReport', () => {
  it('shows limit, source, usage and headroom for every quota', () => {
    const tenant = aTenant({
      edition: anEdition({ ceiling: { ...GENEROUS_QUOTA, gpus: 4 } }),
      quota: { ...GENEROUS_QUOTA, gpus: 8, vramBytesTotal: 100 * GIB },
      usage: { ...EMPTY_USAGE, gpus: 3, vramBytes: 120 * GIB, recentSubmissionsMs: [0, 50_000, 59_000] },
    });
    const lines = new Map(quotaReport(tenant, 70_000).map((line) => [line.quota, line]));
    expect(lines.get('gpus')).toEqual({ quota: 'gpus', limit: 4, source: 'edition', used: 3, headroom: 1 });
    expect(lines.get('vramBytesTotal')).toMatchObject({ source: 'tenant', used: 120 * GIB, headroom: 0 });
    expect(lines.get('jobsPerMinute')).toMatchObject({ used: 2 });
    expect(lines.size).toBe(7);
  });
});

describe('checkDeadlines', () => {
  it('expires passed deadlines and flags jobs that can no longer finish in time', () => {
    const queue = [
      aJob({ id: 'past', deadlineMs: 900 }),
      aJob({ id: 'tight', deadlineMs: 1_500, estimatedDurationMs: 800 }),
      aJob({ id: 'fine', deadlineMs: 5_000, estimatedDurationMs: 800 }),
      aJob({ id: 'none' }),
    ];
    expect(checkDeadlines(queue, 1_000)).toEqual([
      { jobId: 'past', verdict: 'expired', reason: 'deadline passed 100 ms ago' },
      {
        jobId: 'tight',
        verdict: 'cannot-finish',
        reason: 'would finish 300 ms after its deadline if started now',
      },
    ]);
  });
});
