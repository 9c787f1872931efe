import { describe, expect, it } from '@jest/globals';
import { reportsIn, type JobReport } from './jobs.js';

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
