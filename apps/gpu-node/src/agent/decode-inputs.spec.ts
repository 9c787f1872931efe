import { describe, expect, it } from '@jest/globals';
import { decodeInputs, inputBytes, workUnits } from './decode-inputs.js';
import { CpuKernelRunner } from '@voxelfleet/cuda';
import { encodeResult, runKernel } from './kernel-call.js';
import { BadInputError, decodeBuffer, encodeBuffer } from './inline-buffer.js';

const LIMITS = { maxInputBytes: 1024, maxOutputBytes: 512 };
const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function badInput(fn: () => unknown): BadInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BadInputError) return e;
    throw e;
  }
  throw new Error('expected a BadInputError');
}

describe('inline buffers', () => {
  it('round-trips every dtype through base64', () => {
    const arrays = [
      new Float32Array([1.5, -2, 3.25]),
      new Float64Array([Math.PI, -1e300]),
      new Uint32Array([0, 2 ** 32 - 1, 7]),
      new Uint16Array([65535, 1]),
      new Uint8Array([0, 255, 9]),
    ];
    for (const a of arrays) {
      const enc = encodeBuffer(a) as { base64: string; dtype: 'f32' };
      const back = decodeBuffer('v', enc, [enc.dtype], 1024);
      expect([...back]).toEqual([...a]);
      expect(back.constructor).toBe(a.constructor);
    }
  });

  it('decodes number arrays as the first accepted dtype, checking range and integrality', () => {
    expect([...decodeBuffer('x', [1, 2, 3], ['u32'], 64)]).toEqual([1, 2, 3]);
    expect(badInput(() => decodeBuffer('x', [1, -1], ['u32'], 64)).message).toMatch(
      /^x\[1\]: must be an integer/,
    );
    expect(badInput(() => decodeBuffer('x', [256], ['u8'], 64)).message).toMatch(/^x\[0\]/);
    expect(badInput(() => decodeBuffer('x', [1, 'a'], ['f32'], 64)).message).toMatch(
      /^x\[1\]: must be a finite/,
    );
    expect(badInput(() => decodeBuffer('x', [1e39], ['f32'], 64)).message).toMatch(/^x\[0\]/);
  });

  it('refuses bad base64, wrong dtypes, partial elements, non-finite floats and oversize buffers', () => {
    expect(badInput(() => decodeBuffer('x', { base64: 'a', dtype: 'f32' }, ['f32'], 64)).field).toBe(
      'x.base64',
    );
    expect(badInput(() => decodeBuffer('x', { base64: 'AAAA', dtype: 'u8' }, ['f32'], 64)).field).toBe(
      'x.dtype',
    );
    expect(
      badInput(() => decodeBuffer('x', { base64: 'AAAAAAA=', dtype: 'f32' }, ['f32'], 64)).message,
    ).toMatch(/5 bytes is not a whole number of f32/);
    expect(
      badInput(() => decodeBuffer('x', { base64: b64(new Float32Array([NaN])), dtype: 'f32' }, ['f32'], 64))
        .message,
    ).toMatch(/x\[0\]: is not a finite number/);
    expect(
      badInput(() => decodeBuffer('x', { base64: b64(new Uint8Array(65)), dtype: 'u8' }, ['u8'], 64)).message,
    ).toMatch(/larger than 64 bytes/);
    expect(badInput(() => decodeBuffer('x', undefined, ['u8'], 64)).message).toBe('x: is required');
    expect(badInput(() => decodeBuffer('x', 'AAAA', ['u8'], 64)).field).toBe('x');
  });

  it('gives the decoded array its own aligned buffer', () => {
    const a = decodeBuffer('x', { base64: b64(new Float64Array([1, 2])), dtype: 'f64' }, ['f64'], 64);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(16);
  });
});

describe('decodeInputs', () => {
  it('decodes the tensor-core matmuls, which run with their operands rounded', async () => {
    for (const kernel of ['matmul.tf32', 'matmul.bf16'] as const) {
      const call = decodeInputs(kernel, { a: [1 + 2 ** -9, 1], b: [1, 1], m: 1, n: 1, k: 2 }, LIMITS);
      expect(call).toMatchObject({ kernel, m: 1, n: 1, k: 2 });
      const out = await runKernel(new CpuKernelRunner(), call);
      // 1 + 2^-9 survives tf32's 10 mantissa bits and not bf16's 7.
      expect(encodeResult(out)).toEqual({
        c: encodeBuffer(Float32Array.of(kernel === 'matmul.tf32' ? 2 + 2 ** -9 : 2)),
      });
    }
    expect(() => decodeInputs('matmul.bf16', { a: [1], b: [1, 2], m: 1, n: 1, k: 1 }, LIMITS)).toThrow(/b/);
  });

  it('decodes each built-in kernel', () => {
    expect(decodeInputs('noop', {}, LIMITS)).toEqual({ kernel: 'noop' });
    expect(decodeInputs('saxpy', { a: 2, x: [1, 2], y: [3, 4] }, LIMITS)).toMatchObject({
      kernel: 'saxpy',
      a: 2,
    });
    expect(decodeInputs('reduce.sum', { x: [1] }, LIMITS)).toMatchObject({ kernel: 'reduce.sum' });
    expect(decodeInputs('scan.exclusive', { x: [1] }, LIMITS)).toMatchObject({ kernel: 'scan.exclusive' });
    expect(decodeInputs('matmul.f32', { a: [1, 2], b: [3, 4], m: 1, n: 1, k: 2 }, LIMITS)).toMatchObject({
      m: 1,
      n: 1,
      k: 2,
    });
    const motion = decodeInputs(
      'motion.diff',
      {
        width: 2,
        height: 1,
        prev: { base64: b64(new Uint16Array([1, 2])), dtype: 'u16' },
        cur: { base64: b64(new Uint16Array([3, 4])), dtype: 'u16' },
        sigma: 1,
        k: 2,
        maxOut: 2,
      },
      LIMITS,
    );
    expect(motion.kernel === 'motion.diff' && motion.req.cur).toBeInstanceOf(Uint16Array);
  });

  it('splits voxel-evidence cameras out of the concatenated masks and projections', () => {
    const P = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1];
    const call = decodeInputs(
      'voxel.evidence',
      {
        origin: [0, -1, 2],
        dims: [2, 2, 2],
        voxelSize: 0.5,
        widths: [2, 3],
        heights: [1, 2],
        projections: [...P, ...P.map((v) => v * 2)],
        masks: [1, 0, 0, 0, 1, 0, 0, 1],
        minCameras: 2,
        maxVoxels: 8,
      },
      LIMITS,
    );
    if (call.kernel !== 'voxel.evidence') throw new Error('wrong kernel');
    expect(call.req.grid).toEqual({
      origin: [0, -1, 2],
      dims: [2, 2, 2],
      voxelSize: 0.5,
      axisOrder: 'xyz',
      dtype: 'u32-camera-mask',
      version: 1,
    });
    expect(call.req.cameras.map((c) => [c.width, c.height, [...c.mask]])).toEqual([
      [2, 1, [1, 0]],
      [3, 2, [0, 0, 1, 0, 0, 1]],
    ]);
    expect(call.req.cameras[1]!.projection[0]).toBe(2);
  });

  it('rebuilds voxel-evidence masks from per-camera pixel lists, as the tracker sends them', () => {
    const P = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1];
    const base = {
      origin: [0, 0, 0],
      dims: [2, 2, 2],
      voxelSize: 0.5,
      widths: [2, 3],
      heights: [1, 2],
      projections: [...P, ...P],
      minCameras: 2,
      maxVoxels: 8,
    };
    const call = decodeInputs('voxel.evidence', { ...base, pixels: [0, 2, 5], pixelCounts: [1, 2] }, LIMITS);
    if (call.kernel !== 'voxel.evidence') throw new Error('wrong kernel');
    expect(call.req.cameras.map((c) => [[...c.mask], [...(c.pixels ?? [])]])).toEqual([
      [[1, 0], [0]],
      [
        [0, 0, 1, 0, 0, 1],
        [2, 5],
      ],
    ]);
    // The same motion as dense masks decodes to the same masks.
    const dense = decodeInputs('voxel.evidence', { ...base, masks: [1, 0, 0, 0, 1, 0, 0, 1] }, LIMITS);
    if (dense.kernel !== 'voxel.evidence') throw new Error('wrong kernel');
    expect(dense.req.cameras.map((c) => [...c.mask])).toEqual(call.req.cameras.map((c) => [...c.mask]));

    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ pixels: [0], pixelCounts: [1, 0], masks: [1, 0, 0, 0, 0, 0, 0, 0] }, 'masks'],
      [{ pixels: [0] }, 'pixelCounts'],
      [{ pixels: [0, 1], pixelCounts: [1, 0] }, 'pixelCounts'],
      [{ pixels: [0], pixelCounts: [1] }, 'pixelCounts'],
      [{ pixels: [2], pixelCounts: [1, 0] }, 'pixels[0]'],
      [{ pixels: [0, 6], pixelCounts: [1, 1] }, 'pixels[1]'],
    ];
    for (const [motion, field] of refusals) {
      expect(badInput(() => decodeInputs('voxel.evidence', { ...base, ...motion }, LIMITS)).field).toBe(
        field,
      );
    }
  });

  it('takes pixel lists from twenty 3840x2160 cameras, whose masks together pass the input limit', () => {
    const limits = { maxInputBytes: 64 * 2 ** 20, maxOutputBytes: 4 * 2 ** 20 };
    const cameras = 20;
    const [width, height] = [3840, 2160];
    const P = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1];
    const lists = Array.from({ length: cameras }, (_, k) => [k, 1000 + k, width * height - 1]);
    const inputs = {
      origin: { base64: b64(new Float64Array([0, 0, 0])), dtype: 'f64' },
      dims: { base64: b64(new Uint32Array([4, 4, 4])), dtype: 'u32' },
      voxelSize: 1,
      widths: { base64: b64(new Uint32Array(cameras).fill(width)), dtype: 'u32' },
      heights: { base64: b64(new Uint32Array(cameras).fill(height)), dtype: 'u32' },
      projections: {
        base64: b64(new Float64Array(Array.from({ length: cameras }, () => P).flat())),
        dtype: 'f64',
      },
      pixels: { base64: b64(new Uint32Array(lists.flat())), dtype: 'u32' },
      pixelCounts: { base64: b64(new Uint32Array(lists.map((l) => l.length))), dtype: 'u32' },
      minCameras: 2,
      maxVoxels: 64,
    };
    const call = decodeInputs('voxel.evidence', inputs, limits);
    if (call.kernel !== 'voxel.evidence') throw new Error('wrong kernel');
    expect(call.req.cameras).toHaveLength(cameras);
    expect([...(call.req.cameras[3]!.pixels ?? [])]).toEqual(lists[3]);
    // The CPU path reads the mask; it is the list's pixels.
    const mask = call.req.cameras[3]!.mask;
    expect(mask).toHaveLength(width * height);
    expect(mask.reduce((n, v) => n + v, 0)).toBe(3);
    expect(mask[1003]).toBe(1);
    // A frame-set larger than any rig this product takes is still refused, naming the field.
    const huge = { ...inputs, widths: { base64: b64(new Uint32Array(cameras).fill(65_535)), dtype: 'u32' } };
    huge.heights = { base64: b64(new Uint32Array(cameras).fill(65_535)), dtype: 'u32' };
    expect(badInput(() => decodeInputs('voxel.evidence', huge, limits)).field).toBe('widths');
  });

  it('names the field and the reason for every refusal', () => {
    const cases: Array<[string, unknown, string | RegExp]> = [
      ['fft', {}, 'kernel.name'],
      ['noop', [], 'inputs'],
      ['noop', { extra: 1 }, 'extra'],
      ['saxpy', { a: 'x', x: [1], y: [1] }, 'a'],
      ['saxpy', { a: 1, x: [1], y: [1, 2] }, 'y'],
      ['matmul.f32', { a: [1], b: [1], m: 1, n: 1, k: 1.5 }, 'k'],
      ['matmul.f32', { a: [1], b: [1, 2], m: 1, n: 1, k: 1 }, 'b'],
      ['motion.diff', { width: 2, height: 1, prev: [1, 2], cur: [1, 2], sigma: 0, k: 1, maxOut: 1 }, 'sigma'],
      [
        'motion.diff',
        { width: 2, height: 1, prev: [1, 2], cur: [1, 2], sigma: [1, -1], k: 1, maxOut: 1 },
        'sigma',
      ],
      [
        'voxel.evidence',
        {
          origin: [0, 0],
          dims: [1, 1, 1],
          voxelSize: 1,
          widths: [1],
          heights: [1],
          projections: [],
          masks: [1],
          minCameras: 1,
          maxVoxels: 1,
        },
        'origin',
      ],
      [
        'voxel.evidence',
        {
          origin: [0, 0, 0],
          dims: [1, 1, 1],
          voxelSize: 1,
          widths: [1],
          heights: [1],
          projections: new Array(12).fill(0),
          masks: [1, 1],
          minCameras: 1,
          maxVoxels: 1,
        },
        'masks',
      ],
      [
        'voxel.evidence',
        {
          origin: [0, 0, 0],
          dims: [1, 1, 1],
          voxelSize: 1,
          widths: [1],
          heights: [1],
          projections: new Array(12).fill(0),
          masks: [1],
          minCameras: 2,
          maxVoxels: 1,
        },
        'minCameras',
      ],
    ];
    for (const [kernel, inputs, field] of cases) {
      expect(badInput(() => decodeInputs(kernel, inputs, LIMITS)).field).toBe(field);
    }
  });

  it('refuses inputs whose result would not fit inline', () => {
    const x = new Array(200).fill(1);
    expect(badInput(() => decodeInputs('scan.exclusive', { x }, LIMITS)).message).toMatch(
      /over the 512-byte inline output limit/,
    );
    expect(decodeInputs('reduce.sum', { x }, LIMITS).kernel).toBe('reduce.sum');
  });

  it('sizes calls for the budget predictor and the pool', () => {
    const mm = decodeInputs('matmul.f32', { a: [1, 2, 3, 4, 5, 6], b: [1, 2, 3], m: 2, n: 1, k: 3 }, LIMITS);
    expect(workUnits(mm)).toBe(6);
    expect(inputBytes(mm)).toBe(24 + 12 + 8);
    expect(workUnits(decodeInputs('noop', {}, LIMITS))).toBe(1);
  });
});
