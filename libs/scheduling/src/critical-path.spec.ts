import { describe, expect, it } from '@jest/globals';
import { criticalPath, expectedDurationMs } from './critical-path.js';
import { node, workflow } from './testing/workflows.js';

describe('criticalPath', () => {
  // root(10) → slow(50) → join(5); root → fast(20) → join
  const spec = workflow(
    node('root', [], 10),
    node('fast', ['root'], 20),
    node('slow', ['root'], 50),
    node('join', ['fast', 'slow'], 5),
  );

  it('finds the longest chain and its length', () => {
    const result = criticalPath(spec);
    expect(result.path).toEqual(['root', 'slow', 'join']);
    expect(result.lengthMs).toBe(65);
  });

  it('computes slack and boosts only jobs without any', () => {
    const result = criticalPath(spec, { boost: 1 });
    expect(result.slots['fast']).toEqual({
      durationMs: 20,
      earliestStartMs: 10,
      latestStartMs: 40,
      slackMs: 30,
    });
    expect(result.slots['join']).toEqual({
      durationMs: 5,
      earliestStartMs: 60,
      latestStartMs: 60,
      slackMs: 0,
    });
    expect(result.boosts).toEqual({ root: 1, slow: 1, join: 1 });
  });

  it('lets history override the estimate', () => {
    const withHistory = workflow(
      node('root', [], 10),
      { ...node('fast', ['root'], 20), historyDurationsMs: [90, 100, 80] },
      node('slow', ['root'], 50),
      node('join', ['fast', 'slow'], 5),
    );
    expect(criticalPath(withHistory).path).toEqual(['root', 'fast', 'join']);
  });

  it('uses the median of history and a default when nothing is known', () => {
    expect(expectedDurationMs({ id: 'x', dependsOn: [], historyDurationsMs: [10, 40, 20, 30] }, 0)).toBe(25);
    expect(expectedDurationMs({ id: 'x', dependsOn: [] }, 7)).toBe(7);
  });

  it('picks the same path on ties every time: the first in submission order', () => {
    const tied = workflow(node('a', [], 10), node('b', [], 10), node('c', ['a', 'b'], 10));
    expect(criticalPath(tied).path).toEqual(['a', 'c']);
    expect(criticalPath(tied).boosts).toEqual({ a: 1, b: 1, c: 1 });
  });
});

describe('criticalPath over the remaining work', () => {
  it('moves the boost when the slow branch is done', () => {
    const spec = workflow(
      node('root', [], 10),
      node('fast', ['root'], 20),
      node('slow', ['root'], 50),
      node('join', ['fast', 'slow'], 5),
    );
    const result = criticalPath(spec, { finished: new Set(['root', 'slow']) });
    expect(result.lengthMs).toBe(25);
    expect(result.boosts).toEqual({ fast: 1, join: 1 });
  });
});
