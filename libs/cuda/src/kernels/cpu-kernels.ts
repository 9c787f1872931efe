/**
 * CPU implementations of the built-in kernels: the fallback when no device is present and
 * the second implementation every GPU result is checked against.
 */
import { InvalidArgumentError } from '../errors.js';
import type { MotionDiffRequest, MotionDiffResult } from './kernel-types.js';

export function saxpyCpu(a: number, x: Float32Array, y: Float32Array): Float32Array {
  if (x.length !== y.length) throw new InvalidArgumentError('saxpy: x and y differ in length');
  const out = new Float32Array(y.length);
  const af = Math.fround(a);
  for (let i = 0; i < x.length; i++) out[i] = af * x[i]! + y[i]!;
  return out;
}

export function reduceSumCpu(x: Float32Array): number {
  // Four partial sums: shorter dependency chains, and closer to the GPU's tree order.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < x.length; i += 4) {
    s0 += x[i]!;
    s1 += x[i + 1]!;
    s2 += x[i + 2]!;
    s3 += x[i + 3]!;
  }
  for (; i < x.length; i++) s0 += x[i]!;
  return s0 + s1 + (s2 + s3);
}

export function scanExclusiveCpu(x: Uint32Array): Uint32Array {
  const out = new Uint32Array(x.length);
  let run = 0;
  for (let i = 0; i < x.length; i++) {
    out[i] = run;
    run = (run + x[i]!) >>> 0;
  }
  return out;
}

export function matmulF32Cpu(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
): Float32Array {
  if (a.length !== m * k || b.length !== k * n) throw new InvalidArgumentError('matmul.f32: shape mismatch');
  const c = new Float32Array(m * n);
  const row = new Float64Array(n);
  // i-k-j order walks B and C row by row (cache friendly); float64 accumulation.
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!;
      const bo = p * n;
      for (let j = 0; j < n; j++) row[j]! += av * b[bo + j]!;
    }
    c.set(row, i * n);
  }
  return c;
}

export function validateMotion(req: MotionDiffRequest): number {
  const n = req.width * req.height;
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('motion.diff: bad frame size');
  if (req.prev.length !== n || req.cur.length !== n)
    throw new InvalidArgumentError('motion.diff: frame length');
  if (req.prev.BYTES_PER_ELEMENT !== req.cur.BYTES_PER_ELEMENT) {
    throw new InvalidArgumentError('motion.diff: frames differ in bit depth');
  }
  if (typeof req.sigma !== 'number' && req.sigma.length !== n) {
    throw new InvalidArgumentError('motion.diff: sigma length');
  }
  return n;
}

/** Same float32 rules as the CUDA kernel: |cur - prev| (exact) > fround(fround(k) * sigma). */
export function motionDiffCpu(req: MotionDiffRequest): MotionDiffResult {
  const n = validateMotion(req);
  const k = Math.fround(req.k);
  const scalar = typeof req.sigma === 'number' ? Math.fround(k * Math.fround(req.sigma)) : 0;
  const sig = typeof req.sigma === 'number' ? null : req.sigma;
  const idx: number[] = [];
  const w: number[] = [];
  let count = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(req.cur[i]! - req.prev[i]!);
    const thr = sig ? Math.fround(k * sig[i]!) : scalar;
    if (d > thr) {
      if (count < req.maxOut) {
        idx.push(i);
        w.push(d);
      }
      count++;
    }
  }
  return {
    indices: Uint32Array.from(idx),
    weights: Float32Array.from(w),
    count,
    truncated: count > req.maxOut,
  };
}
