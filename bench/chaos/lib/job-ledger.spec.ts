import { describe, expect, it } from '@jest/globals';
import { judgeLedger } from './job-ledger.js';

describe('judgeLedger', () => {
  const rows = [
    { id: 'a', state: 'succeeded', reason: 'ok' },
    { id: 'b', state: 'failed', reason: 'bad-input' },
    { id: 'c', state: 'running', reason: 'running on n1' },
    { id: 'x', state: 'succeeded', reason: 'ok' },
    { id: 'y', state: 'placed', reason: 'placed' },
  ];
  const transitions = [
    { jobId: 'a', toState: 'running' },
    { jobId: 'a', toState: 'requeued' },
    { jobId: 'a', toState: 'running' },
    { jobId: 'a', toState: 'succeeded' },
    { jobId: 'x', toState: 'succeeded' },
    { jobId: 'x', toState: 'succeeded' },
  ];

  it('counts a missing or unfinished accepted job as lost, a failed one as failed', () => {
    const verdict = judgeLedger(['a', 'b', 'c', 'gone'], rows, transitions);
    expect(verdict.accepted).toBe(4);
    expect(verdict.succeeded).toBe(1);
    expect(verdict.lost).toEqual(['c', 'gone']);
    expect(verdict.failed).toEqual([{ id: 'b', state: 'failed', reason: 'bad-input' }]);
  });

  it('finds a job completed twice and one started twice', () => {
    const verdict = judgeLedger(['a', 'x'], rows, transitions);
    expect(verdict.duplicateCompletions).toEqual(['x']);
    expect(verdict.restarted).toBe(1);
  });

  it('tracks rows the client never saw accepted, and which of them are unfinished', () => {
    const verdict = judgeLedger(['a'], rows, []);
    expect(verdict.unacknowledged).toEqual({ total: 4, unfinished: ['c', 'y'] });
  });

  it('is clean for a clean run', () => {
    const verdict = judgeLedger(
      ['a'],
      [rows[0] as (typeof rows)[number]],
      [{ jobId: 'a', toState: 'succeeded' }],
    );
    expect(verdict).toMatchObject({ lost: [], duplicateCompletions: [], failed: [], succeeded: 1 });
  });
});
