import { describe, expect, it } from '@jest/globals';
import {
  CANCELLABLE_JOB_STATES,
  FINISHED_JOB_STATES,
  JOB_STATE_MOVES,
  JOB_STATES,
  QUEUED_JOB_STATES,
  type JobState,
} from './job-states.js';

const movesFrom = (state: JobState): readonly JobState[] => JOB_STATE_MOVES[state];

describe('job states', () => {
  it('splits the states into finished, cancellable and the one in passing (preempted, requeued at once)', () => {
    const finished = new Set<string>(FINISHED_JOB_STATES);
    const cancellable = new Set<string>(CANCELLABLE_JOB_STATES);
    expect([...finished].filter((state) => cancellable.has(state))).toEqual([]);
    expect(JOB_STATES.filter((state) => !finished.has(state) && !cancellable.has(state))).toEqual([
      'preempted',
    ]);
  });

  it('names a finished state exactly when the state machine has no move out of it', () => {
    expect(JOB_STATES.filter((state) => movesFrom(state).length === 0)).toEqual([...FINISHED_JOB_STATES]);
  });

  it('lets a user cancel from exactly the states with a move to cancelled', () => {
    expect(JOB_STATES.filter((state) => movesFrom(state).includes('cancelled')).sort()).toEqual(
      [...CANCELLABLE_JOB_STATES].sort(),
    );
  });

  it("reaches every state but waiting (where a workflow's later steps start); queued jobs can be cancelled", () => {
    const reached = new Set(JOB_STATES.flatMap(movesFrom));
    expect(JOB_STATES.filter((state) => !reached.has(state))).toEqual(['waiting']);
    expect(QUEUED_JOB_STATES.every((state) => movesFrom(state).includes('cancelled'))).toBe(true);
  });

  it('lists no move to the state itself and none twice', () => {
    for (const state of JOB_STATES) {
      expect(movesFrom(state)).not.toContain(state);
      expect(new Set(movesFrom(state)).size).toBe(movesFrom(state).length);
    }
  });
});
