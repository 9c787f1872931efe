import type { EvidenceRequest, EvidenceResult, KernelInputs } from '@voxelfleet/contracts';
import type { KernelRunner, MotionDiffRequest, MotionDiffResult } from '@voxelfleet/cuda';
import { encodeBuffer } from './inline-buffer.js';

/** A built-in kernel call with its inputs decoded and checked: what a runner executes. */
export type KernelCall =
  | { kernel: 'noop' }
  | { kernel: 'saxpy'; a: number; x: Float32Array; y: Float32Array }
  | { kernel: 'reduce.sum'; x: Float32Array }
  | { kernel: 'scan.exclusive'; x: Uint32Array }
  | {
      kernel: 'matmul.f32' | 'matmul.tf32' | 'matmul.bf16';
      a: Float32Array;
      b: Float32Array;
      m: number;
      n: number;
      k: number;
    }
  | { kernel: 'motion.diff'; req: MotionDiffRequest }
  | { kernel: 'voxel.evidence'; req: EvidenceRequest };

export type KernelResult =
  | { kernel: 'noop' }
  | { kernel: 'saxpy'; y: Float32Array }
  | { kernel: 'reduce.sum'; sum: number }
  | { kernel: 'scan.exclusive'; y: Uint32Array }
  | { kernel: 'matmul.f32' | 'matmul.tf32' | 'matmul.bf16'; c: Float32Array }
  | { kernel: 'motion.diff'; result: MotionDiffResult }
  | { kernel: 'voxel.evidence'; result: EvidenceResult };

/**
 * Runs one call on a runner (CPU or CUDA). `noop` has no runner method: the CPU has nothing
 * to do, and a CUDA lane passes its own empty launch.
 */
export async function runKernel(
  runner: KernelRunner,
  call: KernelCall,
  noop: () => Promise<unknown> = () => Promise.resolve(),
): Promise<KernelResult> {
  switch (call.kernel) {
    case 'noop':
      await noop();
      return { kernel: 'noop' };
    case 'saxpy':
      return { kernel: 'saxpy', y: await runner.saxpy(call.a, call.x, call.y) };
    case 'reduce.sum':
      return { kernel: 'reduce.sum', sum: await runner.reduceSum(call.x) };
    case 'scan.exclusive':
      return { kernel: 'scan.exclusive', y: await runner.scanExclusive(call.x) };
    case 'matmul.f32':
      return { kernel: 'matmul.f32', c: await runner.matmulF32(call.a, call.b, call.m, call.n, call.k) };
    case 'matmul.tf32':
      return { kernel: 'matmul.tf32', c: await runner.matmulTf32(call.a, call.b, call.m, call.n, call.k) };
    case 'matmul.bf16':
      return { kernel: 'matmul.bf16', c: await runner.matmulBf16(call.a, call.b, call.m, call.n, call.k) };
    case 'motion.diff':
      return { kernel: 'motion.diff', result: await runner.motionDiff(call.req) };
    case 'voxel.evidence':
      return { kernel: 'voxel.evidence', result: await runner.voxelEvidence(call.req) };
  }
}

/** The report's `output`: numbers inline, arrays as base64 typed arrays. */
export function encodeResult(r: KernelResult): KernelInputs {
  switch (r.kernel) {
    case 'noop':
      return {};
    case 'saxpy':
    case 'scan.exclusive':
      return { y: encodeBuffer(r.y) };
    case 'reduce.sum':
      return { sum: r.sum };
    case 'matmul.f32':
    case 'matmul.tf32':
    case 'matmul.bf16':
      return { c: encodeBuffer(r.c) };
    case 'motion.diff':
      return {
        indices: encodeBuffer(r.result.indices),
        weights: encodeBuffer(r.result.weights),
        count: r.result.count,
        truncated: r.result.truncated,
      };
    case 'voxel.evidence':
      return {
        indices: encodeBuffer(r.result.indices),
        masks: encodeBuffer(r.result.masks),
        truncated: r.result.truncated,
      };
  }
}

/** Typed arrays a call carries, so a worker message can transfer instead of copying them. */
export function callBuffers(call: KernelCall): ArrayBuffer[] {
  const views: ArrayBufferView[] = [];
  switch (call.kernel) {
    case 'saxpy':
      views.push(call.x, call.y);
      break;
    case 'reduce.sum':
    case 'scan.exclusive':
      views.push(call.x);
      break;
    case 'matmul.f32':
    case 'matmul.tf32':
    case 'matmul.bf16':
      views.push(call.a, call.b);
      break;
    case 'motion.diff':
      views.push(call.req.prev, call.req.cur);
      if (typeof call.req.sigma !== 'number') views.push(call.req.sigma);
      break;
    case 'voxel.evidence':
      for (const c of call.req.cameras) {
        views.push(c.projection, c.mask);
        if (c.pixels) views.push(c.pixels);
      }
      break;
    case 'noop':
      break;
  }
  // Views that share one buffer (cameras sliced from one upload) must be listed once.
  return [...new Set(views.map((v) => v.buffer as ArrayBuffer))];
}
