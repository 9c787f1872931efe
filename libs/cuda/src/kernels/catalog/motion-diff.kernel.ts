import type { MotionDiffRequest, MotionDiffResult } from '../kernel-types.js';
import { BadInputError, decodeBuffer, encodeBuffer } from './inline-buffer.js';
import { checkOutput, countInput, numberInput } from './input-checks.js';
import type { KernelDescriptor } from './kernel-descriptor.js';

export type MotionDiffCall = { kernel: 'motion.diff'; req: MotionDiffRequest };
export type MotionDiffKernelResult = { kernel: 'motion.diff'; result: MotionDiffResult };

/** Frame differencing: the pixels where |cur - prev| > k * sigma, with their differences. */
export const motionDiffKernel: KernelDescriptor<MotionDiffCall, MotionDiffKernelResult> = {
  name: 'motion.diff',
  inputs: {
    width: 'integer, 0..65536',
    height: 'integer, 0..65536',
    prev: 'u8 or u16 buffer, width*height pixels',
    cur: 'buffer of the dtype of prev, width*height pixels',
    sigma: 'positive number, or f32 buffer of width*height positive values',
    k: 'positive number: the threshold in units of sigma',
    maxOut: 'integer: the most pixels reported (the lowest indices are kept)',
  },
  decode(given, limits) {
    const width = countInput(given, 'width', 1 << 16);
    const height = countInput(given, 'height', 1 << 16);
    const pixels = width * height;
    const prev = decodeBuffer('prev', given.prev, ['u8', 'u16'], limits.maxInputBytes);
    const cur = decodeBuffer('cur', given.cur, ['u8', 'u16'], limits.maxInputBytes);
    if (prev.length !== pixels)
      throw new BadInputError('prev', `has ${prev.length} pixels, width*height is ${pixels}`);
    if (cur.length !== pixels)
      throw new BadInputError('cur', `has ${cur.length} pixels, width*height is ${pixels}`);
    if (prev.BYTES_PER_ELEMENT !== cur.BYTES_PER_ELEMENT)
      throw new BadInputError('cur', 'must have the dtype of prev');
    const sigmaIn = given.sigma;
    let sigma: number | Float32Array;
    if (typeof sigmaIn === 'number') {
      sigma = numberInput(given, 'sigma', (v) => v > 0, 'a positive number');
    } else {
      sigma = decodeBuffer('sigma', sigmaIn, ['f32'], limits.maxInputBytes);
      if (sigma.length !== pixels)
        throw new BadInputError('sigma', `has ${sigma.length} values, width*height is ${pixels}`);
      if (sigma.some((s) => s <= 0)) throw new BadInputError('sigma', 'must be positive everywhere');
    }
    const k = numberInput(given, 'k', (v) => v > 0, 'a positive number');
    const maxOut = countInput(given, 'maxOut');
    checkOutput(Math.min(maxOut, pixels) * 8, limits);
    return { kernel: 'motion.diff', req: { width, height, prev, cur, sigma, k, maxOut } };
  },
  run: async (runner, call) => ({ kernel: 'motion.diff', result: await runner.motionDiff(call.req) }),
  encode: ({ result }) => ({
    indices: encodeBuffer(result.indices),
    weights: encodeBuffer(result.weights),
    count: result.count,
    truncated: result.truncated,
  }),
  workUnits: (call) => Math.max(1, call.req.width * call.req.height),
  inputBytes: ({ req }) =>
    req.prev.byteLength * 2 +
    (typeof req.sigma === 'number' ? 0 : req.sigma.byteLength) +
    Math.min(req.maxOut, req.width * req.height) * 8,
  buffers: ({ req }) =>
    typeof req.sigma === 'number' ? [req.prev, req.cur] : [req.prev, req.cur, req.sigma],
};
