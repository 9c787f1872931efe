import { describe, expect, it } from '@jest/globals';
import { dispatchesIn, reportsIn, type JobReport } from './jobs.js';

describe('dispatchesIn', () => {
  it('unpacks a batch and passes a single dispatch through', () => {
    const one = { jobId: 'a', attempt: 1 };
    expect(dispatchesIn({ dispatches: [one, { jobId: 'b', attempt: 1 }] })).toEqual([
      one,
      { jobId: 'b', attempt: 1 },
    ]);
    expect(dispatchesIn(one)).toEqual([one]);
  });

  it('leaves anything else for the node to refuse as one malformed dispatch', () => {
    expect(dispatchesIn(null)).toEqual([null]);
    expect(dispatchesIn({ dispatches: 'nope' })).toEqual([{ dispatches: 'nope' }]);
    // A dispatch that happens to carry a `dispatches` input is still a dispatch.
    expect(dispatchesIn({ jobId: 'a', dispatches: [] })).toEqual([{ jobId: 'a', dispatches: [] }]);
  });
});

const report = (jobId: string): JobReport => ({
  type: 'succeeded',
  jobId,
  attempt: 1,
  nodeId: 'n1',
  at: 1,
  where: 'cpu',
  durationMs: 0,
  output: {},
});

describe('reportsIn', () => {
  it('reads a single report as a batch of one (nodes that do not batch)', () => {
    expect(reportsIn(report('a'))).toEqual([report('a')]);
  });

  it('reads every report of a batch, in order', () => {
    expect(reportsIn({ reports: [report('a'), report('b')] }).map((r) => r.jobId)).toEqual(['a', 'b']);
  });
});
