import { decodeBuffer } from './inline-buffer.js';
import type { KernelDescriptor } from './kernel-descriptor.js';

export type ReduceSumCall = { kernel: 'reduce.sum'; x: Float32Array };
export type ReduceSumResult = { kernel: 'reduce.sum'; sum: number };

/** The sum of float32 values, accumulated in float64. */
export const reduceSumKernel: KernelDescriptor<ReduceSumCall, ReduceSumResult> = {
  name: 'reduce.sum',
  inputs: { x: 'f32 buffer' },
  decode: (given, limits) => ({
    kernel: 'reduce.sum',
    x: decodeBuffer('x', given.x, ['f32'], limits.maxInputBytes),
  }),
  run: async (runner, call) => ({ kernel: 'reduce.sum', sum: await runner.reduceSum(call.x) }),
  encode: (result) => ({ sum: result.sum }),
  workUnits: (call) => Math.max(1, call.x.length),
  inputBytes: (call) => call.x.byteLength,
  buffers: (call) => [call.x],
};
