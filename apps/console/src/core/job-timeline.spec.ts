import { describe, expect, it } from '@jest/globals';
import { jobTimeline } from './job-timeline.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const step = (from: string | null, to: string, s: number) => ({
  from,
  to,
  at: at(s),
  reason: `${to} reason`,
  nodeId: null,
  attempt: 1,
});

describe('jobTimeline', () => {
  it('measures each state until the next one, and a terminal state as an instant', () => {
    const segments = jobTimeline(
      [
        step(null, 'submitted', 0),
        step('placed', 'running', 3),
        step('submitted', 'placed', 1),
        step('running', 'succeeded', 7),
      ],
      Date.parse(at(100)),
    );
    expect(segments.map((s) => [s.state, s.durationMs, s.endedAt])).toEqual([
      ['submitted', 1000, at(1)],
      ['placed', 2000, at(3)],
      ['running', 4000, at(7)],
      ['succeeded', 0, at(7)],
    ]);
    expect(segments.map((s) => s.fraction)).toEqual([1 / 7, 2 / 7, 4 / 7, 0]);
  });

  it('runs an open state up to now', () => {
    const segments = jobTimeline([step(null, 'submitted', 0)], Date.parse(at(5)));
    expect(segments).toEqual([
      expect.objectContaining({ state: 'submitted', durationMs: 5000, endedAt: null, fraction: 1 }),
    ]);
    expect(jobTimeline([], 0)).toEqual([]);
  });
});
