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
 * Frames of pixel-list cameras, in pixels, summed over a frame-set: 32 cameras of 3840x2160 fit.
 * Their byte masks are built only if the CPU path reads them (the device path uploads the lists
 * and scatters them into masks there), so the bound is this, not the input byte limit: twenty
 * 3840x2160 cameras' masks alone are 166 MB.
 */
export const MAX_PIXEL_LIST_FRAME_PIXELS = 2 ** 28;

/**
 * Sparse motion: the changed pixels' indices (y * width + x) of every camera, concatenated,
 * with `pixelCounts` saying how many belong to each. The lists travel on to a device path that
 * uploads them instead of masks; a camera's byte mask is made from its list the first time
 * something reads it (the CPU path).
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
  let framePixels = 0;
  const cameras: EvidenceCamera[] = [];
  let offset = 0;
  for (let i = 0; i < widths.length; i++) {
    const { width, height } = cameraSize(widths, heights, i);
    const size = width * height;
    framePixels += size;
    if (framePixels > MAX_PIXEL_LIST_FRAME_PIXELS) {
      throw new BadInputError(
        'widths',
        `the cameras' frames exceed ${MAX_PIXEL_LIST_FRAME_PIXELS} pixels in all`,
      );
    }
    const list = pixels.subarray(offset, offset + counts[i]!);
    for (let j = 0; j < list.length; j++) {
      if (list[j]! >= size)
        throw new BadInputError(`pixels[${offset + j}]`, `is outside camera ${i}'s frame`);
    }
    offset += counts[i]!;
    cameras.push(
      withLazyMask({ projection: projections.subarray(i * 12, i * 12 + 12), width, height, pixels: list }),
    );
  }
  return cameras;
}

/** The camera with `mask` made from its pixel list on first read, then kept. */
function withLazyMask(camera: Omit<EvidenceCamera, 'mask'> & { pixels: Uint32Array }): EvidenceCamera {
  let mask: Uint8Array | undefined;
  return Object.defineProperty(camera, 'mask', {
    enumerable: true,
    get(): Uint8Array {
      if (!mask) {
        mask = new Uint8Array(camera.width * camera.height);
        for (const p of camera.pixels) mask[p] = 1;
      }
      return mask;
    },
  }) as EvidenceCamera;
}

function cameraSize(widths: Dims, heights: Dims, i: number): { width: number; height: number } {
  const width = widths[i]!;
  const height = heights[i]!;
  if (width < 1 || height < 1)
    throw new BadInputError(`widths[${i}]`, 'cameras need positive width and height');
  return { width, height };
}
