import type { KernelRunner } from '../kernel-types.js';
import { BadInputError, decodeBuffer, encodeBuffer } from './inline-buffer.js';
import { checkOutput, countInput } from './input-checks.js';
import type { KernelDescriptor } from './kernel-descriptor.js';

type MatmulName = 'matmul.f32' | 'matmul.tf32' | 'matmul.bf16';
export type MatmulCall<N extends MatmulName = MatmulName> = {
  kernel: N;
  a: Float32Array;
  b: Float32Array;
  m: number;
  n: number;
  k: number;
};
export type MatmulResult<N extends MatmulName = MatmulName> = { kernel: N; c: Float32Array };

/** The three precisions share their inputs, checks and output; only the runner method differs. */
function matmulKernel<N extends MatmulName>(
  name: N,
  multiply: (runner: KernelRunner, call: MatmulCall<N>) => Promise<Float32Array>,
): KernelDescriptor<MatmulCall<N>, MatmulResult<N>> {
  return {
    name,
    inputs: {
      a: 'f32 buffer, m*k values, row-major',
      b: 'f32 buffer, k*n values, row-major',
      m: 'integer',
      n: 'integer',
      k: 'integer',
    },
    decode(given, limits) {
      const m = countInput(given, 'm');
      const n = countInput(given, 'n');
      const k = countInput(given, 'k');
      const a = decodeBuffer('a', given.a, ['f32'], limits.maxInputBytes);
      const b = decodeBuffer('b', given.b, ['f32'], limits.maxInputBytes);
      if (a.length !== m * k) throw new BadInputError('a', `has ${a.length} elements, m*k is ${m * k}`);
      if (b.length !== k * n) throw new BadInputError('b', `has ${b.length} elements, k*n is ${k * n}`);
      checkOutput(m * n * 4, limits);
      return { kernel: name, a, b, m, n, k };
    },
    run: async (runner, call) => ({ kernel: name, c: await multiply(runner, call) }),
    encode: (result) => ({ c: encodeBuffer(result.c) }),
    workUnits: (call) => Math.max(1, call.m * call.n * call.k),
    inputBytes: (call) => call.a.byteLength + call.b.byteLength + call.m * call.n * 4,
    buffers: (call) => [call.a, call.b],
  };
}

/** C[m,n] = A[m,k] · B[k,n], row-major float32. */
export const matmulF32Kernel = matmulKernel('matmul.f32', (runner, { a, b, m, n, k }) =>
  runner.matmulF32(a, b, m, n, k),
);

/**
 * The same product on the tensor cores with A and B rounded to tf32 and float32 accumulation
 * (per element within (2u + u^2 + (k + 1) 2^-24) of sum |a||b| of the exact product, u = 2^-11).
 */
export const matmulTf32Kernel = matmulKernel('matmul.tf32', (runner, { a, b, m, n, k }) =>
  runner.matmulTf32(a, b, m, n, k),
);

/** Likewise with A and B rounded to bf16 (u = 2^-8). */
export const matmulBf16Kernel = matmulKernel('matmul.bf16', (runner, { a, b, m, n, k }) =>
  runner.matmulBf16(a, b, m, n, k),
);
