/**
 * matmul.tf32 and matmul.bf16 on the CPU: the operands rounded as the tensor cores round them
 * (tf32: 10 explicit mantissa bits, to nearest with ties away from zero, as cvt.rna.tf32.f32;
 * bf16: 7 bits, to nearest even, as __float2bfloat16_rn), products accumulated in float64.
 * The GPU accumulates in float32 in another order, so the two agree within the bound below,
 * not bit for bit.
 */
import { InvalidArgumentError } from '../errors.js';
import { matmulF32Cpu } from './cpu-kernels.js';

export type ReducedPrecision = 'tf32' | 'bf16';

const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

/** x rounded to a tf32 operand (NaN and infinities pass through). */
export function roundTf32(x: number): number {
  asFloat[0] = x;
  const u = bits[0]!;
  if ((u & 0x7f800000) === 0x7f800000) return asFloat[0];
  bits[0] = ((u + 0x1000) & 0xffffe000) >>> 0;
  return asFloat[0];
}

/** x rounded to a bf16 operand, to nearest even (NaN stays NaN). */
export function roundBf16(x: number): number {
  asFloat[0] = x;
  const u = bits[0]!;
  if ((u & 0x7f800000) === 0x7f800000) {
    if (u & 0x007fffff) return Number.NaN;
    return asFloat[0];
  }
  bits[0] = ((u + 0x7fff + ((u >>> 16) & 1)) & 0xffff0000) >>> 0;
  return asFloat[0];
}

/** Unit roundoff of the operand format: half the spacing of its mantissa. */
export const OPERAND_UNIT: Record<ReducedPrecision, number> = { tf32: 2 ** -11, bf16: 2 ** -8 };

/**
 * The stated tolerance, per element of C: |c - exact| <= eps * sum_p |a_ip| |b_pj| with
 * eps = 2u + u^2 (both operands rounded, relative error u each) + (k + 1) * 2^-24 (float32
 * accumulation of k terms and the final rounding). tf32: about 9.8e-4 plus the accumulation
 * term; bf16: about 7.8e-3 plus it. `exact` is the product of the unrounded float32 inputs.
 */
export function reducedTolerance(precision: ReducedPrecision, k: number): number {
  const u = OPERAND_UNIT[precision];
  return 2 * u + u * u + (k + 1) * 2 ** -24;
}

export function matmulReducedCpu(
  precision: ReducedPrecision,
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
): Float32Array {
  if (a.length !== m * k || b.length !== k * n)
    throw new InvalidArgumentError(`matmul.${precision}: shape mismatch`);
  const round = precision === 'tf32' ? roundTf32 : roundBf16;
  const ra = new Float32Array(a.length);
  const rb = new Float32Array(b.length);
  for (let i = 0; i < a.length; i++) ra[i] = round(a[i]!);
  for (let i = 0; i < b.length; i++) rb[i] = round(b[i]!);
  return matmulF32Cpu(ra, rb, m, n, k);
}

/**
 * Checks c against the exact product of a and b with the stated tolerance; returns the
 * largest error as a fraction of the element's bound (<= 1 passes) and the relative
 * Frobenius error. Non-finite outputs fail.
 */
export function checkReduced(
  precision: ReducedPrecision,
  c: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
): { ok: boolean; worstOfBound: number; relFrobenius: number } {
  const eps = reducedTolerance(precision, k);
  let worst = 0;
  let num = 0;
  let den = 0;
  let finite = c.length === m * n;
  for (let i = 0; i < m && finite; i++) {
    for (let j = 0; j < n; j++) {
      let exact = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const t = a[i * k + p]! * b[p * n + j]!;
        exact += t;
        mag += Math.abs(t);
      }
      const got = c[i * n + j]!;
      if (!Number.isFinite(got)) {
        finite = false;
        break;
      }
      const err = Math.abs(got - exact);
      // A zero bound (all products zero) allows only an exact zero.
      worst = Math.max(worst, mag > 0 ? err / (eps * mag) : err > 0 ? Infinity : 0);
      num += err * err;
      den += exact * exact;
    }
  }
  const relFrobenius = den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
  return { ok: finite && worst <= 1, worstOfBound: worst, relFrobenius };
}
