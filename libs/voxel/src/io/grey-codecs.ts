import { PNG } from 'pngjs';
import type { GreyFrame } from '../motion/grey-frame.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/**
 * Thin codecs between file bytes and GreyFrame; the callers do the file I/O. PGM is binary
 * (P5), 16-bit samples big-endian as the format requires; PNG is greyscale.
 */
export function decodePgm(bytes: Uint8Array): GreyFrame {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < bytes.length && /\s/.test(String.fromCharCode(bytes[pos]!))) pos++;
      if (bytes[pos] === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < bytes.length && !/\s/.test(String.fromCharCode(bytes[pos]!))) pos++;
    return String.fromCharCode(...bytes.subarray(start, pos));
  };
  if (token() !== 'P5') throw new TypeError('not a binary PGM (P5)');
  const width = Number(token());
  const height = Number(token());
  const maxVal = Number(token());
  pos++; // the single whitespace byte before the raster
  if (!(width > 0 && height > 0 && maxVal > 0 && maxVal < 65536)) throw new TypeError('bad PGM header');
  const size = width * height;
  if (maxVal < 256) {
    if (bytes.length - pos < size) throw new TypeError('PGM raster is truncated');
    return { width, height, bitDepth: 8, data: bytes.slice(pos, pos + size) };
  }
  if (bytes.length - pos < size * 2) throw new TypeError('PGM raster is truncated');
  const data = new Uint16Array(size);
  for (let i = 0; i < size; i++) data[i] = (bytes[pos + 2 * i]! << 8) | bytes[pos + 2 * i + 1]!;
  return { width, height, bitDepth: 16, data };
}

export function encodePgm(frame: GreyFrame): Uint8Array {
  const header = new TextEncoder().encode(
    `P5\n${frame.width} ${frame.height}\n${frame.bitDepth === 8 ? 255 : 65535}\n`,
  );
  const size = frame.width * frame.height;
  const out = new Uint8Array(header.length + size * (frame.bitDepth === 8 ? 1 : 2));
  out.set(header);
  if (frame.bitDepth === 8) out.set(frame.data, header.length);
  else {
    for (let i = 0; i < size; i++) {
      out[header.length + 2 * i] = frame.data[i]! >> 8;
      out[header.length + 2 * i + 1] = frame.data[i]! & 0xff;
    }
  }
  return out;
}

export function decodePng(bytes: Uint8Array): GreyFrame {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    skipRescale: true,
  });
  const size = png.width * png.height;
  const bitDepth = png.depth === 16 ? 16 : 8;
  const data = bitDepth === 16 ? new Uint16Array(size) : new Uint8Array(size);
  const rgba = png.data as unknown as ArrayLike<number>;
  // Colour images are reduced to their luma so a colour feed still works.
  for (let i = 0; i < size; i++) {
    const r = rgba[4 * i]!;
    const g = rgba[4 * i + 1]!;
    const b = rgba[4 * i + 2]!;
    data[i] = png.color ? M.round(0.299 * r + 0.587 * g + 0.114 * b) : r;
  }
  return { width: png.width, height: png.height, bitDepth, data };
}

export function encodePng(frame: GreyFrame): Uint8Array {
  const png = new PNG({
    width: frame.width,
    height: frame.height,
    colorType: 0,
    inputColorType: 0,
    bitDepth: frame.bitDepth,
    inputHasAlpha: false,
  });
  // pngjs reads 16-bit input as native-endian uint16 values.
  const raw =
    frame.bitDepth === 8
      ? frame.data
      : new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  png.data = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return PNG.sync.write(png, {
    colorType: 0,
    inputColorType: 0,
    bitDepth: frame.bitDepth,
    inputHasAlpha: false,
  });
}

/** Raw grey samples without a header; 16-bit samples in the stated byte order. */
export function decodeRawGrey(
  bytes: Uint8Array,
  width: number,
  height: number,
  bitDepth: 8 | 16,
  littleEndian = true,
): GreyFrame {
  const size = width * height;
  if (bytes.length !== size * (bitDepth / 8))
    throw new RangeError(`raw frame must be ${size * (bitDepth / 8)} bytes`);
  if (bitDepth === 8) return { width, height, bitDepth, data: bytes.slice() };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Uint16Array(size);
  for (let i = 0; i < size; i++) data[i] = view.getUint16(2 * i, littleEndian);
  return { width, height, bitDepth, data };
}
