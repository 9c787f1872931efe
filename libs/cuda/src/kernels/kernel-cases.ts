/**
 * One correctness suite for every built-in kernel, run against the CPU runner in CI and the
 * CUDA runner on a GPU machine. Each case draws fresh random inputs (never zeros), uses
 * sizes that are not multiples of the GPU block or tile sizes, and compares with a float64
 * reference written independently of the implementation under test.
 */
import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';

import type { KernelRunner, MotionDiffRequest, MotionDiffResult } from './kernel-types.js';
import { matmulF32Cpu } from './cpu-kernels.js';
import { checkReduced, type ReducedPrecision } from './matmul-reduced.js';
import { randomF32, randomScene, rng, type Rng } from './test-scenes.js';

export interface CaseOutcome {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CaseOptions {
  /** Adds the multi-million-element sizes (the GPU run; too slow for Jest's VM on a CPU). */
  large: boolean;
}

export interface KernelCase {
  name: string;
  run(runner: KernelRunner, seed: number, opts: CaseOptions): Promise<CaseOutcome[]>;
}

const sizes = (opts: CaseOptions, small: number[], large: number[]) =>
  opts.large ? [...small, ...large] : small;

/** ‖out − ref‖ / ‖ref‖; NaN or a length mismatch counts as infinite error. */
export function relError(out: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (out.length !== ref.length) return Number.POSITIVE_INFINITY;
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = out[i]! - ref[i]!;
    if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
    num += d * d;
    den += ref[i]! * ref[i]!;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

function within(name: string, err: number, tol: number): CaseOutcome {
  return { name, ok: err <= tol, detail: `rel err ${err.toExponential(2)} (tol ${tol})` };
}

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

const saxpyCase: KernelCase = {
  name: 'saxpy',
  async run(runner, seed, opts) {
    const out: CaseOutcome[] = [];
    for (const n of sizes(opts, [1, 255, 4097, 100_003], [1_000_003])) {
      const r = rng(seed + n);
      const a = 2 * r() - 1;
      const x = randomF32(r, n);
      const y = randomF32(r, n);
      const got = await runner.saxpy(a, x, y);
      const af = Math.fround(a);
      const ref = Array.from(y, (yv, i) => af * x[i]! + yv);
      out.push(within(`saxpy n=${n}`, relError(got, ref), 1e-6));
    }
    return out;
  },
};

const reduceCase: KernelCase = {
  name: 'reduce.sum',
  async run(runner, seed, opts) {
    const out: CaseOutcome[] = [];
    for (const n of sizes(opts, [1, 1023, 100_001], [3 * 2 ** 20 + 7])) {
      const r = rng(seed ^ n);
      const x = randomF32(r, n, -1, 1.5);
      let ref = 0;
      let mag = 0;
      for (const v of x) {
        ref += v;
        mag += Math.abs(v);
      }
      const got = await runner.reduceSum(x);
      const err = Math.abs(got - ref) / mag;
      out.push({
        name: `reduce.sum n=${n}`,
        ok: err < 1e-12,
        detail: `|err|/sum|x| ${err.toExponential(2)}`,
      });
    }
    return out;
  },
};

const scanCase: KernelCase = {
  name: 'scan.exclusive',
  async run(runner, seed, opts) {
    const out: CaseOutcome[] = [];
    // 2049 needs two levels of tiles; 4,194,313 needs three.
    const cases: [number, number][] = [
      [1, 1000],
      [2047, 1000],
      [2049, 2 ** 32],
      [300_007, 2 ** 32],
    ];
    if (opts.large) cases.push([4_194_313, 2 ** 32]);
    for (const [n, max] of cases) {
      const r = rng(seed + n * 7);
      const x = new Uint32Array(n);
      for (let i = 0; i < n; i++) x[i] = Math.floor(r() * max);
      const got = await runner.scanExclusive(x);
      const ref = new Float64Array(n);
      let run = 0;
      for (let i = 0; i < n; i++) {
        ref[i] = run;
        run = (run + x[i]!) % 2 ** 32;
      }
      const at = firstDiff(got, ref);
      out.push({
        name: `scan.exclusive n=${n}`,
        ok: at < 0,
        detail: at < 0 ? 'exact' : `first difference at ${at}`,
      });
    }
    return out;
  },
};

const matmulCase: KernelCase = {
  name: 'matmul.f32',
  async run(runner, seed) {
    const out: CaseOutcome[] = [];
    for (const [m, n, k] of [
      [1, 1, 1],
      [129, 67, 131],
      [257, 255, 129],
    ] as const) {
      const r = rng(seed + m * 31 + n);
      const a = randomF32(r, m * k);
      const b = randomF32(r, k * n);
      const got = await runner.matmulF32(a, b, m, n, k);
      const ref = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
          ref[i * n + j] = s;
        }
      out.push(within(`matmul.f32 ${m}x${n}x${k}`, relError(got, ref), 1e-5));
    }
    return out;
  },
};

/**
 * matmul.tf32 / matmul.bf16 against the exact product of the unrounded inputs, element by
 * element within the stated bound (checkReduced), and not equal to the float32 product
 * everywhere: the operands were rounded.
 */
function reducedCase(precision: ReducedPrecision): KernelCase {
  return {
    name: `matmul.${precision}`,
    async run(runner, seed, opts) {
      const out: CaseOutcome[] = [];
      const shapes: [number, number, number][] = [
        [1, 1, 1],
        [17, 9, 5],
        [129, 67, 131],
        [130, 257, 33],
        [64, 128, 96],
      ];
      if (opts.large) shapes.push([1000, 515, 777], [1024, 1024, 1024]);
      for (const [m, n, k] of shapes) {
        const r = rng(seed + m * 37 + n * 3 + k);
        const a = randomF32(r, m * k);
        const b = randomF32(r, k * n);
        const got =
          precision === 'tf32'
            ? await runner.matmulTf32(a, b, m, n, k)
            : await runner.matmulBf16(a, b, m, n, k);
        const check = checkReduced(precision, got, a, b, m, n, k);
        const exactF32 = k > 1 && m * n > 1 ? firstDiff(got, matmulF32Cpu(a, b, m, n, k)) >= 0 : true;
        out.push({
          name: `matmul.${precision} ${m}x${n}x${k}`,
          ok: check.ok && exactF32,
          detail:
            `worst error ${check.worstOfBound.toFixed(3)} of the bound, rel err ${check.relFrobenius.toExponential(2)}` +
            (exactF32 ? '' : ', equals the float32 product (operands not rounded)'),
        });
      }
      return out;
    },
  };
}

function motionReference(req: MotionDiffRequest): MotionDiffResult {
  const idx: number[] = [];
  const w: number[] = [];
  let count = 0;
  for (let i = 0; i < req.prev.length; i++) {
    const s = typeof req.sigma === 'number' ? req.sigma : req.sigma[i]!;
    const d = Math.abs(req.cur[i]! - req.prev[i]!);
    if (d > req.k * s) {
      if (count++ < req.maxOut) {
        idx.push(i);
        w.push(d);
      }
    }
  }
  return {
    indices: Uint32Array.from(idx),
    weights: Float32Array.from(w),
    count,
    truncated: count > req.maxOut,
  };
}

function motionFrames(
  r: Rng,
  width: number,
  height: number,
  depth: 8 | 16,
): Pick<MotionDiffRequest, 'prev' | 'cur'> {
  const max = depth === 8 ? 255 : 65535;
  const n = width * height;
  const prev = depth === 8 ? new Uint8Array(n) : new Uint16Array(n);
  const cur = depth === 8 ? new Uint8Array(n) : new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    prev[i] = Math.floor(r() * max);
    // Mostly sensor noise, some real change.
    const change = r() < 0.05 ? (r() - 0.5) * max : (r() - 0.5) * max * 0.02;
    cur[i] = Math.min(max, Math.max(0, Math.round(prev[i]! + change)));
  }
  return { prev, cur };
}

const motionCase: KernelCase = {
  name: 'motion.diff',
  async run(runner, seed) {
    const r = rng(seed + 99);
    const reqs: [string, MotionDiffRequest][] = [];
    const a = motionFrames(r, 641, 479, 8);
    reqs.push([
      '8-bit 641x479 scalar sigma',
      { width: 641, height: 479, ...a, sigma: 1.7 + r(), k: 3, maxOut: 641 * 479 },
    ]);
    const b = motionFrames(r, 1001, 17, 16);
    const sigma = randomF32(r, 1001 * 17, 50, 400);
    reqs.push([
      '16-bit 1001x17 per-pixel sigma',
      { width: 1001, height: 17, ...b, sigma, k: 2.5, maxOut: 1001 * 17 },
    ]);
    reqs.push(['8-bit truncated at 777', { width: 641, height: 479, ...a, sigma: 1.3, k: 3, maxOut: 777 }]);
    const out: CaseOutcome[] = [];
    for (const [name, req] of reqs) {
      const got = await runner.motionDiff(req);
      const ref = motionReference(req);
      const same =
        got.count === ref.count &&
        got.truncated === ref.truncated &&
        firstDiff(got.indices, ref.indices) < 0 &&
        firstDiff(got.weights, ref.weights) < 0;
      out.push({
        name: `motion.diff ${name}`,
        ok: same && ref.count > 0,
        detail: `${got.count} changed (ref ${ref.count})`,
      });
    }
    return out;
  },
};

/** Independent of the implementations: one loop over the flat index, decomposed. */
export function evidenceReference(req: EvidenceRequest): EvidenceResult {
  const [nx, ny, nz] = req.grid.dims;
  const idx: number[] = [];
  const masks: number[] = [];
  let qualified = 0;
  for (let v = 0; v < nx * ny * nz; v++) {
    const i = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))] as const;
    const c = i.map((ii, a) => req.grid.origin[a]! + (ii + 0.5) * req.grid.voxelSize);
    let bits = 0;
    let n = 0;
    req.cameras.forEach((cam, k) => {
      const P = cam.projection;
      const row = (r: number) =>
        P[r * 4]! * c[0]! + P[r * 4 + 1]! * c[1]! + P[r * 4 + 2]! * c[2]! + P[r * 4 + 3]!;
      const w = row(2);
      if (!(w > 0)) return;
      const px = Math.floor(row(0) / w);
      const py = Math.floor(row(1) / w);
      if (px < 0 || py < 0 || px >= cam.width || py >= cam.height || cam.mask[py * cam.width + px] === 0)
        return;
      bits = (bits | (1 << k)) >>> 0;
      n++;
    });
    if (n >= req.minCameras) {
      if (qualified++ < req.maxVoxels) {
        idx.push(v);
        masks.push(bits);
      }
    }
  }
  return {
    indices: Uint32Array.from(idx),
    masks: Uint32Array.from(masks),
    truncated: qualified > req.maxVoxels,
  };
}

export function sameEvidence(a: EvidenceResult, b: EvidenceResult): boolean {
  return (
    a.truncated === b.truncated && firstDiff(a.indices, b.indices) < 0 && firstDiff(a.masks, b.masks) < 0
  );
}

const evidenceCase: KernelCase = {
  name: 'voxel.evidence',
  async run(runner, seed) {
    const out: CaseOutcome[] = [];
    const scenes = [
      {
        dims: [37, 29, 23],
        cameras: 4,
        targets: 3,
        width: 160,
        height: 120,
        noise: 0.02,
        minCameras: 3,
        maxVoxels: 1e6,
      },
      {
        dims: [41, 19, 11],
        cameras: 7,
        targets: 5,
        width: 97,
        height: 83,
        noise: 0.05,
        minCameras: 2,
        maxVoxels: 1e6,
      },
      {
        dims: [37, 29, 23],
        cameras: 5,
        targets: 4,
        width: 160,
        height: 120,
        noise: 0.1,
        minCameras: 1,
        maxVoxels: 333,
      },
    ] as const;
    for (const [s, o] of scenes.entries()) {
      const { req } = randomScene(rng(seed * 13 + s), { ...o, dims: [...o.dims] });
      const got = await runner.voxelEvidence(req);
      const ref = evidenceReference(req);
      out.push({
        name: `voxel.evidence ${o.dims.join('x')} cams=${o.cameras} min=${o.minCameras} max=${o.maxVoxels}`,
        ok: sameEvidence(got, ref) && ref.indices.length > 0,
        detail: `${got.indices.length} voxels${got.truncated ? ' (truncated)' : ''}, ref ${ref.indices.length}`,
      });
    }
    return out;
  },
};

export const kernelCases: readonly KernelCase[] = [
  saxpyCase,
  reduceCase,
  scanCase,
  matmulCase,
  reducedCase('tf32'),
  reducedCase('bf16'),
  motionCase,
  evidenceCase,
];
