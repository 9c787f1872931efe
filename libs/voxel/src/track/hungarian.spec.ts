import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../math/random.js';
import { solveAssignment } from './hungarian.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

function bruteForceBest(cost: number[][]): number {
  const rows = cost.length;
  const cols = cost[0]!.length;
  let best = Infinity;
  const usedCols = new Set<number>();
  const go = (r: number, acc: number): void => {
    if (r === rows) {
      best = M.min(best, acc);
      return;
    }
    for (let c = 0; c < cols; c++) {
      if (usedCols.has(c)) continue;
      usedCols.add(c);
      go(r + 1, acc + cost[r]![c]!);
      usedCols.delete(c);
    }
  };
  go(0, 0);
  return best;
}

describe('Hungarian assignment', () => {
  it('solves a known 3x3 case', () => {
    const cost = Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]);
    expect(Array.from(solveAssignment(cost, 3, 3))).toEqual([1, 0, 2]);
  });

  it('finds the optimum of random square matrices (checked by brute force)', () => {
    const rng = new SeededRandom(2);
    for (let t = 0; t < 40; t++) {
      const n = rng.int(1, 7);
      const rows = Array.from({ length: n }, () =>
        Array.from({ length: n }, () => M.round(rng.range(0, 100))),
      );
      const result = solveAssignment(Float64Array.from(rows.flat()), n, n);
      const total = Array.from(result).reduce((s, c, r) => s + rows[r]![c]!, 0);
      expect(new Set(result).size).toBe(n);
      expect(total).toBe(bruteForceBest(rows));
    }
  });

  it('handles rectangular matrices both ways and never assigns forbidden pairs', () => {
    // 2 tracks, 3 detections
    expect(Array.from(solveAssignment(Float64Array.from([5, 1, 9, 2, 8, 7]), 2, 3))).toEqual([1, 0]);
    // 3 tracks, 2 detections: one row stays unassigned
    expect(Array.from(solveAssignment(Float64Array.from([5, 1, 1, 9, 2, 8]), 3, 2))).toEqual([1, 0, -1]);
    const gated = solveAssignment(Float64Array.from([1, Infinity, Infinity, Infinity]), 2, 2);
    expect(Array.from(gated)).toEqual([0, -1]);
  });
});
