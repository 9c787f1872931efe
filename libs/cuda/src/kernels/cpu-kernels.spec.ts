import { describe, expect, it } from '@jest/globals';

import { CpuKernelRunner } from '../runtime/cpu-runner.js';
import { evidenceReference, kernelCases, relError } from './kernel-cases.js';
import { matmulF32Cpu, motionDiffCpu } from './cpu-kernels.js';
import { checkReduced, roundBf16, roundTf32 } from './matmul-reduced.js';
import { lookAtProjection, project, randomScene, rng } from './test-scenes.js';
import { voxelEvidenceCpu } from './voxel-evidence-cpu.js';

describe('built-in kernels, CPU path, against float64 references', () => {
  const runner = new CpuKernelRunner();
  for (const c of kernelCases) {
    it(
      c.name,
      async () => {
        const outcomes = await c.run(runner, 20260417, { large: false });
        const failed = outcomes.filter((o) => !o.ok).map((o) => `${o.name}: ${o.detail}`);
        expect(failed).toEqual([]);
        expect(outcomes.length).toBeGreaterThan(0);
      },
      30_000,
    );
  }
});

describe('the suite itself can fail', () => {
  it('relError flags a wrong element and NaN', () => {
    expect(relError([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(relError([1, 2, 3.1], [1, 2, 3])).toBeGreaterThan(1e-3);
    expect(relError([1, Number.NaN], [1, 2])).toBe(Number.POSITIVE_INFINITY);
  });

  it('a voxel.evidence result with one mask bit dropped differs from the reference', () => {
    const { req } = randomScene(rng(5), {
      dims: [13, 11, 9],
      cameras: 4,
      targets: 2,
      width: 64,
      height: 48,
      noise: 0.02,
      minCameras: 2,
      maxVoxels: 1e6,
    });
    const got = voxelEvidenceCpu(req);
    const ref = evidenceReference(req);
    expect(got).toEqual(ref);
    expect(ref.masks.length).toBeGreaterThan(0);
    got.masks[0] = got.masks[0]! & (got.masks[0]! - 1);
    expect(got).not.toEqual(ref);
  });
});

describe('voxel.evidence semantics', () => {
  it('reports the voxel holding a target, supported by every camera', () => {
    const { req, targets } = randomScene(rng(11), {
      dims: [30, 30, 20],
      cameras: 6,
      targets: 1,
      width: 200,
      height: 150,
      noise: 0,
      minCameras: 6,
      maxVoxels: 1e6,
    });
    const out = voxelEvidenceCpu(req);
    const t = targets[0]!;
    const [nx, ny] = req.grid.dims;
    const cell = [0, 1, 2].map((a) => Math.floor((t[a]! - req.grid.origin[a]!) / req.grid.voxelSize));
    const index = cell[0]! + nx * (cell[1]! + ny * cell[2]!);
    const at = out.indices.indexOf(index);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(out.masks[at]).toBe(0b111111);
  });

  it('keeps the lowest indices when truncating', () => {
    const { req } = randomScene(rng(3), {
      dims: [20, 20, 20],
      cameras: 4,
      targets: 3,
      width: 80,
      height: 60,
      noise: 0.05,
      minCameras: 1,
      maxVoxels: 1e9,
    });
    const all = voxelEvidenceCpu(req);
    const some = voxelEvidenceCpu({ ...req, maxVoxels: 10 });
    expect(all.truncated).toBe(false);
    expect(some.truncated).toBe(true);
    expect([...some.indices]).toEqual([...all.indices.subarray(0, 10)]);
  });

  it('projects with the look-at camera used by the scenes', () => {
    const P = lookAtProjection([5, 0, 0], [0, 0, 0], 100, 200, 100);
    const [u, v, w] = project(P, [0, 0, 0]);
    expect([u, v, w]).toEqual([100, 50, 5]);
  });
});

describe('motion.diff', () => {
  it('thresholds against k * sigma in float32 and keeps ascending order', () => {
    const prev = Uint8Array.from([10, 10, 10, 10, 10]);
    const cur = Uint8Array.from([10, 14, 16, 4, 30]);
    const out = motionDiffCpu({ width: 5, height: 1, prev, cur, sigma: 2, k: 2.5, maxOut: 10 });
    expect([...out.indices]).toEqual([2, 3, 4]);
    expect([...out.weights]).toEqual([6, 6, 20]);
  });
});

describe('matmul.tf32 / matmul.bf16 tolerance', () => {
  it('rounds operands as the tensor cores do', () => {
    expect(roundTf32(1 + 2 ** -11)).toBe(1 + 2 ** -10); // a tie rounds away from zero
    expect(roundTf32(1 + 2 ** -12)).toBe(1);
    expect(roundBf16(1 + 2 ** -8)).toBe(1); // a tie rounds to even
    expect(roundBf16(1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6);
    expect(roundBf16(-(1 + 2 ** -7))).toBe(-(1 + 2 ** -7));
    expect(Number.isNaN(roundBf16(Number.NaN))).toBe(true);
  });

  it('the float32 product passes, an unrounded-operand-sized error passes, a larger one fails', () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([0.5, -1, 0.25, 2]);
    const exact = matmulF32Cpu(a, b, 2, 2, 2);
    expect(checkReduced('tf32', exact, a, b, 2, 2, 2).ok).toBe(true);
    const off = Float32Array.from(exact);
    off[3] = off[3]! * (1 + 3e-3); // beyond tf32's 2^-10, within bf16's 2^-7
    expect(checkReduced('tf32', off, a, b, 2, 2, 2).ok).toBe(false);
    expect(checkReduced('bf16', off, a, b, 2, 2, 2).ok).toBe(true);
    off[0] = Number.NaN;
    expect(checkReduced('bf16', off, a, b, 2, 2, 2).ok).toBe(false);
  });
});
