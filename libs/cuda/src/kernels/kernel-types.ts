import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';

/** Frame differencing: a pixel changed when |cur - prev| > k * sigma (float32 arithmetic). */
export interface MotionDiffRequest {
  width: number;
  height: number;
  prev: Uint8Array | Uint16Array;
  cur: Uint8Array | Uint16Array;
  /** Per-pixel noise standard deviation, or one value for the whole frame. */
  sigma: number | Float32Array;
  /** Threshold in units of sigma. */
  k: number;
  /** Upper bound on reported pixels; the lowest indices are kept. */
  maxOut: number;
}

export interface MotionDiffResult {
  /** Changed pixel indices (y * width + x), ascending. */
  indices: Uint32Array;
  /** |cur - prev| per reported pixel. */
  weights: Float32Array;
  /** Pixels that qualified, reported or not. */
  count: number;
  truncated: boolean;
}

/**
 * The built-in kernels, one method each. The CPU and CUDA runners implement it, and one
 * test suite (kernel-cases.ts) checks both. Each kernel's descriptor (catalog/) names the
 * method that runs it.
 */
export interface KernelRunner {
  readonly where: 'cpu' | 'cuda';
  /** Returns a*x + y (float32). */
  saxpy(a: number, x: Float32Array, y: Float32Array): Promise<Float32Array>;
  /** Sum of float32 values, accumulated in float64. */
  reduceSum(x: Float32Array): Promise<number>;
  /** Exclusive prefix sum of uint32 values, wrapping modulo 2^32. */
  scanExclusive(x: Uint32Array): Promise<Uint32Array>;
  /** C[m,n] = A[m,k] · B[k,n], row-major float32. */
  matmulF32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array>;
  /**
   * The same product on the tensor cores: A and B rounded to tf32 (10 mantissa bits),
   * float32 accumulation. Within reducedTolerance('tf32', k) of the exact product per element.
   */
  matmulTf32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array>;
  /** Likewise with A and B rounded to bf16 (7 mantissa bits): reducedTolerance('bf16', k). */
  matmulBf16(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array>;
  motionDiff(req: MotionDiffRequest): Promise<MotionDiffResult>;
  voxelEvidence(req: EvidenceRequest): Promise<EvidenceResult>;
}
