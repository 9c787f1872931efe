import { encodeBuffer, decodeBuffer, BadInputError } from './inline-buffer.js';
import { checkOutput, numberInput } from './input-checks.js';
import type { KernelDescriptor } from './kernel-descriptor.js';

export type SaxpyCall = { kernel: 'saxpy'; a: number; x: Float32Array; y: Float32Array };
export type SaxpyResult = { kernel: 'saxpy'; y: Float32Array };

/** y = a*x + y in float32. */
export const saxpyKernel: KernelDescriptor<SaxpyCall, SaxpyResult> = {
  name: 'saxpy',
  inputs: { a: 'number', x: 'f32 buffer', y: 'f32 buffer, as long as x' },
  decode(given, limits) {
    const a = numberInput(given, 'a', () => true, 'a finite number');
    const x = decodeBuffer('x', given.x, ['f32'], limits.maxInputBytes);
    const y = decodeBuffer('y', given.y, ['f32'], limits.maxInputBytes);
    if (x.length !== y.length) throw new BadInputError('y', `has ${y.length} elements, x has ${x.length}`);
    checkOutput(y.byteLength, limits);
    return { kernel: 'saxpy', a, x, y };
  },
  run: async (runner, call) => ({ kernel: 'saxpy', y: await runner.saxpy(call.a, call.x, call.y) }),
  encode: (result) => ({ y: encodeBuffer(result.y) }),
  workUnits: (call) => Math.max(1, call.x.length),
  inputBytes: (call) => call.x.byteLength * 2,
  buffers: (call) => [call.x, call.y],
};
