import type { InlineBuffer } from '@voxelfleet/contracts';

export type Dtype = 'f32' | 'u32' | 'u8' | 'u16' | 'f64';
export type TypedArrayOf<D extends Dtype> = D extends 'f32'
  ? Float32Array
  : D extends 'u32'
    ? Uint32Array
    : D extends 'u16'
      ? Uint16Array
      : D extends 'u8'
        ? Uint8Array
        : Float64Array;

const CTORS = {
  f32: Float32Array,
  u32: Uint32Array,
  u16: Uint16Array,
  u8: Uint8Array,
  f64: Float64Array,
} as const;

/** Limits on (and ranges of) inline numbers for each element type. */
const RANGES: Record<Dtype, { integer: boolean; min: number; max: number }> = {
  f32: { integer: false, min: -3.4028234663852886e38, max: 3.4028234663852886e38 },
  f64: { integer: false, min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
  u32: { integer: true, min: 0, max: 2 ** 32 - 1 },
  u16: { integer: true, min: 0, max: 2 ** 16 - 1 },
  u8: { integer: true, min: 0, max: 255 },
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A kernel input the node cannot use; the job fails `bad-input` and is not retried. */
export class BadInputError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'BadInputError';
  }
}

/**
 * Decodes one inline buffer: a JSON number array, or base64 of the little-endian typed array.
 * `accept` lists the element types the kernel reads for this field; `maxBytes` bounds the
 * decoded size so a single message cannot exhaust the node's memory.
 */
export function decodeBuffer<D extends Dtype>(
  field: string,
  value: unknown,
  accept: readonly D[],
  maxBytes: number,
): TypedArrayOf<D> {
  if (value === undefined) throw new BadInputError(field, 'is required');
  if (Array.isArray(value)) {
    const dtype = accept[0]!;
    const { integer, min, max } = RANGES[dtype];
    if (value.length * CTORS[dtype].BYTES_PER_ELEMENT > maxBytes) {
      throw new BadInputError(field, `is larger than ${maxBytes} bytes`);
    }
    value.forEach((v, i) => {
      if (
        typeof v !== 'number' ||
        !Number.isFinite(v) ||
        v < min ||
        v > max ||
        (integer && !Number.isInteger(v))
      ) {
        throw new BadInputError(
          `${field}[${i}]`,
          `must be ${integer ? 'an integer' : 'a finite number'} in ${dtype} range`,
        );
      }
    });
    return new CTORS[dtype](value as number[]) as TypedArrayOf<D>;
  }
  if (typeof value !== 'object' || value === null) {
    throw new BadInputError(field, 'must be a number array or { base64, dtype }');
  }
  const { base64, dtype } = value as { base64?: unknown; dtype?: unknown };
  if (typeof dtype !== 'string' || !accept.includes(dtype as D)) {
    throw new BadInputError(`${field}.dtype`, `must be ${accept.join(' or ')}`);
  }
  if (typeof base64 !== 'string' || base64.length % 4 !== 0 || !BASE64.test(base64)) {
    throw new BadInputError(`${field}.base64`, 'must be padded standard base64');
  }
  const ctor = CTORS[dtype as D];
  const bytes = (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
  if (bytes > maxBytes) throw new BadInputError(field, `is larger than ${maxBytes} bytes`);
  if (bytes % ctor.BYTES_PER_ELEMENT !== 0) {
    throw new BadInputError(field, `${bytes} bytes is not a whole number of ${dtype} elements`);
  }
  const raw = Buffer.from(base64, 'base64');
  // Copy into a fresh, aligned buffer that the node owns (and may transfer to a worker).
  const out = new ctor(bytes / ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(raw);
  if (dtype === 'f32' || dtype === 'f64') {
    const floats = out as Float32Array | Float64Array;
    for (let i = 0; i < floats.length; i++) {
      if (!Number.isFinite(floats[i]!)) throw new BadInputError(`${field}[${i}]`, 'is not a finite number');
    }
  }
  return out as TypedArrayOf<D>;
}

/** Encodes a typed array for a report (base64 of its little-endian bytes). */
export function encodeBuffer(
  a: Float32Array | Float64Array | Uint32Array | Uint16Array | Uint8Array,
): InlineBuffer {
  const dtype: Dtype =
    a instanceof Float32Array
      ? 'f32'
      : a instanceof Float64Array
        ? 'f64'
        : a instanceof Uint32Array
          ? 'u32'
          : a instanceof Uint16Array
            ? 'u16'
            : 'u8';
  return { base64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'), dtype };
}
