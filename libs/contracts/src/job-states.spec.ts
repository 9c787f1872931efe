import { describe, expect, it } from '@jest/globals';
import { CANCELLABLE_JOB_STATES, FINISHED_JOB_STATES, JOB_STATES } from './job-states.js';

describe('job states', () => {
  it('splits the states into finished, cancellable and the one in passing (preempted, requeued at once)', () => {
    const finished = new Set<string>(FINISHED_JOB_STATES);
    const cancellable = new Set<string>(CANCELLABLE_JOB_STATES);
    expect([...finished].filter((state) => cancellable.has(state))).toEqual([]);
    expect(JOB_STATES.filter((state) => !finished.has(state) && !cancellable.has(state))).toEqual([
      'preempted',
    ]);
  });
});
