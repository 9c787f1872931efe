import { describe, expect, it } from '@jest/globals';
import { criticalPath, stepDurationMs, topologicalOrder, type DagStep } from './critical-path.js';

const step = (key: string, durationMs: number, dependsOn: string[] = []): DagStep => ({
  key,
  durationMs,
  dependsOn,
});

describe('criticalPath', () => {
  it('follows the longest chain through a diamond', () => {
    const result = criticalPath([
      step('extract', 10),
      step('fast', 5, ['extract']),
      step('slow', 50, ['extract']),
      step('merge', 20, ['fast', 'slow']),
    ]);
    expect(result.path).toEqual(['extract', 'slow', 'merge']);
    expect(result.lengthMs).toBe(80);
    expect(result.earliestFinishMs).toEqual({ extract: 10, fast: 15, slow: 60, merge: 80 });
  });

  it('picks the longest of independent chains and breaks ties by key', () => {
    expect(criticalPath([step('b', 5), step('a', 5), step('c', 1, ['b'])]).path).toEqual(['b', 'c']);
    expect(criticalPath([step('b', 5), step('a', 5)]).path).toEqual(['a']);
    expect(criticalPath([step('x', 3), step('y', 3), step('z', 1, ['y', 'x'])]).path).toEqual(['x', 'z']);
  });

  it('is empty for no steps and counts zero-length steps', () => {
    expect(criticalPath([])).toEqual({ path: [], lengthMs: 0, earliestFinishMs: {} });
    expect(criticalPath([step('a', 0), step('b', 0, ['a'])]).path).toEqual(['a', 'b']);
  });

  it('refuses cycles, unknown dependencies and negative durations', () => {
    expect(() => criticalPath([step('a', 1, ['b']), step('b', 1, ['a'])])).toThrow(/cycle through a, b/);
    expect(() => criticalPath([step('a', 1, ['ghost'])])).toThrow(/unknown step ghost/);
    expect(() => criticalPath([step('a', -1)])).toThrow(/duration/);
  });

  it('agrees with a brute-force longest path on random DAGs', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 8);
      const steps = Array.from({ length: n }, (_, i) =>
        step(
          `s${i}`,
          Math.floor(rand() * 20),
          Array.from({ length: i }, (_, j) => `s${j}`).filter(() => rand() < 0.3),
        ),
      );
      const longest = (key: string): number => {
        const s = steps.find((candidate) => candidate.key === key)!;
        return s.durationMs + Math.max(0, ...s.dependsOn.map(longest));
      };
      const expected = Math.max(...steps.map((s) => longest(s.key)));
      const result = criticalPath(steps);
      expect(result.lengthMs).toBe(expected);
      // The path is a chain of real dependencies whose durations add up to its length.
      result.path.slice(1).forEach((key, i) => {
        expect(steps.find((s) => s.key === key)!.dependsOn).toContain(result.path[i]);
      });
      const sum = result.path.reduce((total, key) => total + steps.find((s) => s.key === key)!.durationMs, 0);
      expect(sum).toBe(expected);
    }
  });
});

describe('topologicalOrder', () => {
  it('puts every step after its dependencies, in key order among the ready ones', () => {
    expect(topologicalOrder([step('c', 1, ['a']), step('b', 1), step('a', 1)])).toEqual(['a', 'b', 'c']);
  });
});

describe('stepDurationMs', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  it('uses the run time, the time so far, or the estimate', () => {
    expect(
      stepDurationMs(
        {
          state: 'succeeded',
          startedAt: '2026-01-01T00:00:00Z',
          finishedAt: '2026-01-01T00:00:02.500Z',
          estimatedDurationMs: 99,
        },
        now,
      ),
    ).toBe(2500);
    expect(
      stepDurationMs(
        { state: 'running', startedAt: '2026-01-01T00:00:30Z', finishedAt: null, estimatedDurationMs: 5 },
        now,
      ),
    ).toBe(30_000);
    expect(
      stepDurationMs({ state: 'waiting', startedAt: null, finishedAt: null, estimatedDurationMs: 700 }, now),
    ).toBe(700);
    expect(
      stepDurationMs(
        { state: 'skipped', startedAt: null, finishedAt: '2026-01-01T00:00:01Z', estimatedDurationMs: 700 },
        now,
      ),
    ).toBe(0);
    expect(
      stepDurationMs(
        { state: 'submitted', startedAt: null, finishedAt: null, estimatedDurationMs: null },
        now,
      ),
    ).toBe(0);
  });
});
