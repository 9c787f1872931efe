import type { EvidenceCamera, KernelInputs } from '@voxelfleet/contracts';
import { BadInputError, decodeBuffer } from './inline-buffer.js';

/** voxel.evidence's cameras, from dense masks or from changed-pixel lists. */

type Dims = Uint32Array;

/** Dense motion: one byte per pixel of every camera, concatenated in camera order. */
export function camerasFromMasks(
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
export function camerasFromPixels(
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
