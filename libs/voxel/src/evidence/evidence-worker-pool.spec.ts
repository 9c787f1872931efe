import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bundleWorkerForTest } from '../testing/bundle-worker.js';
import { computeEvidence } from './compute-evidence.js';
import { randomEvidenceRequest } from './evidence-fixtures.js';
import { EvidenceWorkerPool, mergeSlabs } from './evidence-worker-pool.js';

describe('evidence worker pool', () => {
  let worker: ReturnType<typeof bundleWorkerForTest>;
  let pool: EvidenceWorkerPool;

  beforeAll(() => {
    worker = bundleWorkerForTest('libs/voxel/src/evidence/evidence-worker.ts');
    pool = new EvidenceWorkerPool(2, worker.url);
  });

  afterAll(async () => {
    await pool.close();
    worker.remove();
  });

  it('returns exactly what computeEvidence returns, truncation included', async () => {
    for (let seed = 200; seed < 240; seed++) {
      const req = randomEvidenceRequest(seed);
      const expected = computeEvidence(req);
      const actual = await pool.computeEvidence(req);
      expect(actual.truncated).toBe(expected.truncated);
      expect(Array.from(actual.indices)).toEqual(Array.from(expected.indices));
      expect(Array.from(actual.masks)).toEqual(Array.from(expected.masks));
    }
  });

  it('merges slabs in order and stops at a truncated slab', () => {
    const part = (indices: number[], truncated = false) => ({
      indices: Uint32Array.from(indices),
      masks: Uint32Array.from(indices, () => 1),
      truncated,
    });
    expect(Array.from(mergeSlabs([part([1, 2]), part([5])], 10).indices)).toEqual([1, 2, 5]);
    const cut = mergeSlabs([part([1, 2]), part([5, 6])], 3);
    expect([Array.from(cut.indices), cut.truncated]).toEqual([[1, 2, 5], true]);
    expect(mergeSlabs([part([1], true), part([5])], 1).indices.length).toBe(1);
  });
});
