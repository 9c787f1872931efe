import { describe, expect, it } from '@jest/globals';
import { DAY_MS, MIN_JOB_RETENTION_MS, retentionCutoffs } from './retention.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('retentionCutoffs', () => {
  it('counts each cutoff back from now', () => {
    expect(retentionCutoffs(NOW, { jobRetentionMs: 30 * DAY_MS, decisionRetentionMs: 14 * DAY_MS })).toEqual({
      jobsFinishedBefore: new Date('2026-10-23T12:00:00Z'),
      decisionsBefore: new Date('2026-11-08T12:00:00Z'),
    });
  });

  it('keeps a history whose retention is zero', () => {
    expect(retentionCutoffs(NOW, { jobRetentionMs: 0, decisionRetentionMs: 0 })).toEqual({
      jobsFinishedBefore: null,
      decisionsBefore: null,
    });
  });

  it('refuses a job retention shorter than the day admission counts', () => {
    expect(() => retentionCutoffs(NOW, { jobRetentionMs: DAY_MS, decisionRetentionMs: 0 })).toThrow(
      /jobRetentionMs: at least/,
    );
    expect(
      retentionCutoffs(NOW, { jobRetentionMs: MIN_JOB_RETENTION_MS, decisionRetentionMs: 0 })
        .jobsFinishedBefore,
    ).toEqual(new Date(NOW - 2 * DAY_MS));
  });
});
