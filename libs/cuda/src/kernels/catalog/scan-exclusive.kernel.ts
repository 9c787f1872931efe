import { decodeBuffer, encodeBuffer } from './inline-buffer.js';
import { checkOutput } from './input-checks.js';
import type { KernelDescriptor } from './kernel-descriptor.js';

export type ScanExclusiveCall = { kernel: 'scan.exclusive'; x: Uint32Array };
export type ScanExclusiveResult = { kernel: 'scan.exclusive'; y: Uint32Array };

/** The exclusive prefix sum of uint32 values, wrapping modulo 2^32. */
export const scanExclusiveKernel: KernelDescriptor<ScanExclusiveCall, ScanExclusiveResult> = {
  name: 'scan.exclusive',
  inputs: { x: 'u32 buffer' },
  decode(given, limits) {
    const x = decodeBuffer('x', given.x, ['u32'], limits.maxInputBytes);
    checkOutput(x.byteLength, limits);
    return { kernel: 'scan.exclusive', x };
  },
  run: async (runner, call) => ({ kernel: 'scan.exclusive', y: await runner.scanExclusive(call.x) }),
  encode: (result) => ({ y: encodeBuffer(result.y) }),
  workUnits: (call) => Math.max(1, call.x.length),
  inputBytes: (call) => call.x.byteLength * 2,
  buffers: (call) => [call.x],
};
