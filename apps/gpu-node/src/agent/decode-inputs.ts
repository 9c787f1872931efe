import { BUILTIN_KERNELS, type BuiltinKernelName, type KernelInputs } from '@voxelfleet/contracts';
import type { EvidenceCamera } from '@voxelfleet/contracts';
import type { KernelCall } from './kernel-call.js';
import { BadInputError, decodeBuffer } from './inline-buffer.js';

export interface DecodeLimits {
  /** Largest decoded input buffer, bytes. */
  maxInputBytes: number;
  /** Largest output the report may carry inline, bytes (predicted from the inputs). */
  maxOutputBytes: number;
}

/** The fields each kernel reads; anything else is refused, as the HTTP edge refuses unknown fields. */
const FIELDS: Record<BuiltinKernelName, readonly string[]> = {
  noop: [],
  saxpy: ['a', 'x', 'y'],
  'reduce.sum': ['x'],
  'scan.exclusive': ['x'],
  'matmul.f32': ['a', 'b', 'm', 'n', 'k'],
  'matmul.tf32': ['a', 'b', 'm', 'n', 'k'],
  'matmul.bf16': ['a', 'b', 'm', 'n', 'k'],
  'motion.diff': ['width', 'height', 'prev', 'cur', 'sigma', 'k', 'maxOut'],
  'voxel.evidence': [
    'origin',
    'dims',
    'voxelSize',
    'widths',
    'heights',
    'projections',
    'masks',
    'pixels',
    'pixelCounts',
    'minCameras',
    'maxVoxels',
  ],
};

export function isBuiltinKernel(name: string): name is BuiltinKernelName {
  return (BUILTIN_KERNELS as readonly string[]).includes(name);
}

function num(inputs: KernelInputs, field: string, check: (v: number) => boolean, what: string): number {
  const v = inputs[field];
  if (v === undefined) throw new BadInputError(field, 'is required');
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
    throw new BadInputError(field, `must be ${what}`);
  return v;
}

const count = (inputs: KernelInputs, field: string, max = 2 ** 31 - 1): number =>
  num(inputs, field, (v) => Number.isInteger(v) && v >= 0 && v <= max, `an integer in 0..${max}`);

function checkOutput(bytes: number, limits: DecodeLimits): void {
  if (bytes > limits.maxOutputBytes) {
    throw new BadInputError(
      'inputs',
      `the result would be ${bytes} bytes, over the ${limits.maxOutputBytes}-byte inline output limit`,
    );
  }
}

/**
 * Checks and decodes a built-in kernel's inputs (see KernelInputs in libs/contracts for the
 * wire encoding). Throws BadInputError naming the field and the reason; the job then fails
 * `bad-input` before anything is reserved or run.
 */
export function decodeInputs(kernel: string, inputs: unknown, limits: DecodeLimits): KernelCall {
  if (!isBuiltinKernel(kernel))
    throw new BadInputError('kernel.name', `unknown kernel ${JSON.stringify(kernel)}`);
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    throw new BadInputError('inputs', 'must be an object');
  }
  const given = inputs as KernelInputs;
  const extra = Object.keys(given).filter((k) => !FIELDS[kernel].includes(k));
  if (extra.length) throw new BadInputError(extra[0]!, `is not an input of ${kernel}`);
  const max = limits.maxInputBytes;
  switch (kernel) {
    case 'noop':
      return { kernel };
    case 'saxpy': {
      const a = num(given, 'a', () => true, 'a finite number');
      const x = decodeBuffer('x', given.x, ['f32'], max);
      const y = decodeBuffer('y', given.y, ['f32'], max);
      if (x.length !== y.length) throw new BadInputError('y', `has ${y.length} elements, x has ${x.length}`);
      checkOutput(y.byteLength, limits);
      return { kernel, a, x, y };
    }
    case 'reduce.sum':
      return { kernel, x: decodeBuffer('x', given.x, ['f32'], max) };
    case 'scan.exclusive': {
      const x = decodeBuffer('x', given.x, ['u32'], max);
      checkOutput(x.byteLength, limits);
      return { kernel, x };
    }
    case 'matmul.f32':
    case 'matmul.tf32':
    case 'matmul.bf16': {
      const m = count(given, 'm');
      const n = count(given, 'n');
      const k = count(given, 'k');
      const a = decodeBuffer('a', given.a, ['f32'], max);
      const b = decodeBuffer('b', given.b, ['f32'], max);
      if (a.length !== m * k) throw new BadInputError('a', `has ${a.length} elements, m*k is ${m * k}`);
      if (b.length !== k * n) throw new BadInputError('b', `has ${b.length} elements, k*n is ${k * n}`);
      checkOutput(m * n * 4, limits);
      return { kernel, a, b, m, n, k };
    }
    case 'motion.diff':
      return { kernel, req: decodeMotion(given, limits) };
    case 'voxel.evidence':
      return { kernel, req: decodeEvidence(given, limits) };
  }
}

function decodeMotion(
  given: KernelInputs,
  limits: DecodeLimits,
): Extract<KernelCall, { kernel: 'motion.diff' }>['req'] {
  const width = count(given, 'width', 1 << 16);
  const height = count(given, 'height', 1 << 16);
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
    sigma = num(given, 'sigma', (v) => v > 0, 'a positive number');
  } else {
    sigma = decodeBuffer('sigma', sigmaIn, ['f32'], limits.maxInputBytes);
    if (sigma.length !== pixels)
      throw new BadInputError('sigma', `has ${sigma.length} values, width*height is ${pixels}`);
    if (sigma.some((s) => s <= 0)) throw new BadInputError('sigma', 'must be positive everywhere');
  }
  const k = num(given, 'k', (v) => v > 0, 'a positive number');
  const maxOut = count(given, 'maxOut');
  checkOutput(Math.min(maxOut, pixels) * 8, limits);
  return { width, height, prev, cur, sigma, k, maxOut };
}

function decodeEvidence(
  given: KernelInputs,
  limits: DecodeLimits,
): Extract<KernelCall, { kernel: 'voxel.evidence' }>['req'] {
  const max = limits.maxInputBytes;
  const origin = decodeBuffer('origin', given.origin, ['f64'], 24);
  if (origin.length !== 3) throw new BadInputError('origin', 'must have 3 values');
  const dims = decodeBuffer('dims', given.dims, ['u32'], 12);
  if (dims.length !== 3 || dims.some((d) => d < 1))
    throw new BadInputError('dims', 'must be 3 positive integers');
  const voxelSize = num(given, 'voxelSize', (v) => v > 0, 'a positive number');
  const widths = decodeBuffer('widths', given.widths, ['u32'], 32 * 4);
  const heights = decodeBuffer('heights', given.heights, ['u32'], 32 * 4);
  const cams = widths.length;
  if (cams < 1 || cams > 32) throw new BadInputError('widths', 'must list 1..32 cameras');
  if (heights.length !== cams) throw new BadInputError('heights', `must list ${cams} cameras, like widths`);
  const projections = decodeBuffer('projections', given.projections, ['f64'], 32 * 12 * 8);
  if (projections.length !== cams * 12) {
    throw new BadInputError(
      'projections',
      `must hold 12 values per camera (${cams * 12}), has ${projections.length}`,
    );
  }
  const cameras =
    given.pixels === undefined
      ? camerasFromMasks(given, widths, heights, projections, max)
      : camerasFromPixels(given, widths, heights, projections, max);
  const minCameras = count(given, 'minCameras', cams);
  if (minCameras < 1) throw new BadInputError('minCameras', `must be in 1..${cams}`);
  const maxVoxels = count(given, 'maxVoxels');
  const voxels = dims[0]! * dims[1]! * dims[2]!;
  if (voxels > 2 ** 31) throw new BadInputError('dims', 'the grid has more than 2^31 voxels');
  checkOutput(Math.min(maxVoxels, voxels) * 8, limits);
  return {
    grid: {
      origin: [origin[0]!, origin[1]!, origin[2]!],
      dims: [dims[0]!, dims[1]!, dims[2]!],
      voxelSize,
      axisOrder: 'xyz',
      dtype: 'u32-camera-mask',
      version: 1,
    },
    cameras,
    minCameras,
    maxVoxels,
  };
}

type Dims = Uint32Array;

/** Dense motion: one byte per pixel of every camera, concatenated in camera order. */
function camerasFromMasks(
  given: KernelInputs,
  widths: Dims,
  heights: Dims,
  projections: Float64Array,
  max: number,
): EvidenceCamera[] {
  const masks = decodeBuffer('masks', given.masks, ['u8'], max);
  let offset = 0;
  const cameras: EvidenceCamera[] = [];
  for (let i = 0; i < widths.length; i++) {
    const { width, height } = cameraSize(widths, heights, i);
    const size = width * height;
    if (offset + size > masks.length) {
      throw new BadInputError(
        'masks',
        `holds ${masks.length} bytes; the cameras need ${widths.reduce((s, w, j) => s + w * heights[j]!, 0)}`,
      );
    }
    cameras.push({
      projection: projections.subarray(i * 12, i * 12 + 12),
      width,
      height,
      mask: masks.subarray(offset, offset + size),
    });
    offset += size;
  }
  if (offset !== masks.length)
    throw new BadInputError('masks', `holds ${masks.length} bytes; the cameras need ${offset}`);
  return cameras;
}

/**
 * Sparse motion: the changed pixels' indices (y * width + x) of every camera, concatenated,
 * with `pixelCounts` saying how many belong to each. The node rebuilds each mask; the lists
 * travel on to a device path that uploads them instead of the masks.
 */
function camerasFromPixels(
  given: KernelInputs,
  widths: Dims,
  heights: Dims,
  projections: Float64Array,
  max: number,
): EvidenceCamera[] {
  if (given.masks !== undefined) throw new BadInputError('masks', 'give masks or pixels, not both');
  const pixels = decodeBuffer('pixels', given.pixels, ['u32'], max);
  const counts = decodeBuffer('pixelCounts', given.pixelCounts, ['u32'], 32 * 4);
  if (counts.length !== widths.length)
    throw new BadInputError('pixelCounts', `must list ${widths.length} cameras, like widths`);
  const total = counts.reduce((n, c) => n + c, 0);
  if (total !== pixels.length)
    throw new BadInputError('pixelCounts', `add up to ${total}, pixels holds ${pixels.length}`);
  let masksBytes = 0;
  const cameras: EvidenceCamera[] = [];
  let offset = 0;
  for (let i = 0; i < widths.length; i++) {
    const { width, height } = cameraSize(widths, heights, i);
    const size = width * height;
    masksBytes += size;
    if (masksBytes > max) throw new BadInputError('widths', `the cameras' masks would exceed ${max} bytes`);
    const list = pixels.subarray(offset, offset + counts[i]!);
    offset += counts[i]!;
    const mask = new Uint8Array(size);
    for (let j = 0; j < list.length; j++) {
      const p = list[j]!;
      if (p >= size)
        throw new BadInputError(`pixels[${offset - list.length + j}]`, `is outside camera ${i}'s frame`);
      mask[p] = 1;
    }
    cameras.push({
      projection: projections.subarray(i * 12, i * 12 + 12),
      width,
      height,
      mask,
      pixels: list,
    });
  }
  return cameras;
}

function cameraSize(widths: Dims, heights: Dims, i: number): { width: number; height: number } {
  const width = widths[i]!;
  const height = heights[i]!;
  if (width < 1 || height < 1)
    throw new BadInputError(`widths[${i}]`, 'cameras need positive width and height');
  return { width, height };
}

/**
 * Work units of a call, the size measure the CPU budget predictor scales its measured
 * nanoseconds-per-unit by.
 */
export function workUnits(call: KernelCall): number {
  switch (call.kernel) {
    case 'noop':
      return 1;
    case 'saxpy':
    case 'reduce.sum':
    case 'scan.exclusive':
      return Math.max(1, call.x.length);
    case 'matmul.f32':
    case 'matmul.tf32':
    case 'matmul.bf16':
      return Math.max(1, call.m * call.n * call.k);
    case 'motion.diff':
      return Math.max(1, call.req.width * call.req.height);
    case 'voxel.evidence': {
      const [nx, ny, nz] = call.req.grid.dims;
      return Math.max(1, nx * ny * nz * call.req.cameras.length);
    }
  }
}

/** Bytes the call's buffers take: its host working set and the default VRAM charge. */
export function inputBytes(call: KernelCall): number {
  switch (call.kernel) {
    case 'noop':
      return 0;
    case 'saxpy':
      return call.x.byteLength * 2;
    case 'reduce.sum':
      return call.x.byteLength;
    case 'scan.exclusive':
      return call.x.byteLength * 2;
    case 'matmul.f32':
    case 'matmul.tf32':
    case 'matmul.bf16':
      return call.a.byteLength + call.b.byteLength + call.m * call.n * 4;
    case 'motion.diff':
      return (
        call.req.prev.byteLength * 2 +
        (typeof call.req.sigma === 'number' ? 0 : call.req.sigma.byteLength) +
        Math.min(call.req.maxOut, call.req.width * call.req.height) * 8
      );
    case 'voxel.evidence':
      return (
        call.req.cameras.reduce((s, c) => s + c.mask.byteLength + 96, 0) +
        Math.min(call.req.maxVoxels, call.req.grid.dims[0] * call.req.grid.dims[1] * call.req.grid.dims[2]) *
          8
      );
  }
}
