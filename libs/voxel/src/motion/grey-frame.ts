/** A single-channel image, 8 or 16 bits per pixel, row-major. */
export interface GreyFrame {
  width: number;
  height: number;
  bitDepth: 8 | 16;
  data: Uint8Array | Uint16Array;
}

/**
 * Changed pixels of one camera in one frame, compacted: pixel indices (y * width + x, in
 * sensor coordinates) and a weight per pixel (how many noise sigmas it moved). The same shape
 * comes from edge devices that extract motion themselves.
 */
export interface MotionPixels {
  width: number;
  height: number;
  count: number;
  indices: Uint32Array;
  weights: Float32Array;
}

export function createGreyFrame(width: number, height: number, bitDepth: 8 | 16 = 8): GreyFrame {
  const size = width * height;
  return { width, height, bitDepth, data: bitDepth === 8 ? new Uint8Array(size) : new Uint16Array(size) };
}

export function validateMotionPixels(m: MotionPixels): void {
  if (m.count > m.indices.length || m.count > m.weights.length)
    throw new RangeError('motion count exceeds its arrays');
  const size = m.width * m.height;
  for (let i = 0; i < m.count; i++) {
    if (m.indices[i]! >= size)
      throw new RangeError(`motion pixel ${i} lies outside the ${m.width}x${m.height} image`);
  }
}

/** Sets the mask bytes of the changed pixels; `mask` is cleared first. */
export function motionToMask(
  m: MotionPixels,
  mask: Uint8Array = new Uint8Array(m.width * m.height),
): Uint8Array {
  mask.fill(0);
  for (let i = 0; i < m.count; i++) mask[m.indices[i]!] = 1;
  return mask;
}
