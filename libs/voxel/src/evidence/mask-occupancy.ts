// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/**
 * Conservative "is there any motion pixel in this rectangle?" queries on a camera mask: the
 * mask is reduced to 8x8-pixel tiles and a summed-area table over the tiles answers a query
 * in four reads. A rectangle is widened to whole tiles, so a false "yes" is possible and a
 * false "no" is not, which is what exact culling needs.
 */
export const TILE_SHIFT = 3;

export interface MaskOccupancy {
  width: number;
  height: number;
  tilesX: number;
  tilesY: number;
  /** (tilesX + 1) * (tilesY + 1) prefix sums of occupied tiles. */
  table: Int32Array;
  /** Occupied tiles in total; 0 means the camera saw nothing. */
  total: number;
}

export function buildMaskOccupancy(mask: Uint8Array, width: number, height: number): MaskOccupancy {
  const tilesX = (width + 7) >> TILE_SHIFT;
  const tilesY = (height + 7) >> TILE_SHIFT;
  const occupied = new Uint8Array(tilesX * tilesY);
  const mark = (i: number): void => {
    const y = (i / width) | 0;
    occupied[(y >> TILE_SHIFT) * tilesX + ((i - y * width) >> TILE_SHIFT)] = 1;
  };
  // Masks are mostly zero: scan them four bytes at a time when the buffer allows it.
  const words =
    mask.byteOffset % 4 === 0 ? new Int32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : null;
  const tail = words ? words.length << 2 : 0;
  if (words) {
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      const base = w << 2;
      for (let b = 0; b < 4; b++) if (mask[base + b] !== 0) mark(base + b);
    }
  }
  for (let i = tail; i < mask.length; i++) if (mask[i] !== 0) mark(i);
  return occupancyFromTiles(occupied, width, height, tilesX, tilesY);
}

/**
 * The same structure from the changed-pixel lists a mask was made of (sensor indices
 * y * width + x): no full-image scan, so cost follows the motion, not the resolution.
 */
export function buildOccupancyFromPixels(lists: Uint32Array[], width: number, height: number): MaskOccupancy {
  const tilesX = (width + 7) >> TILE_SHIFT;
  const tilesY = (height + 7) >> TILE_SHIFT;
  const occupied = new Uint8Array(tilesX * tilesY);
  for (const list of lists) {
    for (let p = 0; p < list.length; p++) {
      const i = list[p]!;
      const y = (i / width) | 0;
      occupied[(y >> TILE_SHIFT) * tilesX + ((i - y * width) >> TILE_SHIFT)] = 1;
    }
  }
  return occupancyFromTiles(occupied, width, height, tilesX, tilesY);
}

function occupancyFromTiles(
  occupied: Uint8Array,
  width: number,
  height: number,
  tilesX: number,
  tilesY: number,
): MaskOccupancy {
  const stride = tilesX + 1;
  const table = new Int32Array(stride * (tilesY + 1));
  for (let ty = 0; ty < tilesY; ty++) {
    let rowSum = 0;
    for (let tx = 0; tx < tilesX; tx++) {
      rowSum += occupied[ty * tilesX + tx]!;
      table[(ty + 1) * stride + tx + 1] = table[ty * stride + tx + 1]! + rowSum;
    }
  }
  return { width, height, tilesX, tilesY, table, total: table[tilesY * stride + tilesX]! };
}

/** True when the pixel rectangle [x0, x1] × [y0, y1] (inclusive, may exceed the image) may hold motion. */
export function mayHaveMotion(occ: MaskOccupancy, x0: number, x1: number, y0: number, y1: number): boolean {
  if (occ.total === 0) return false;
  const cx0 = M.max(0, x0);
  const cy0 = M.max(0, y0);
  const cx1 = M.min(occ.width - 1, x1);
  const cy1 = M.min(occ.height - 1, y1);
  if (cx0 > cx1 || cy0 > cy1) return false;
  const tx0 = cx0 >> TILE_SHIFT;
  const ty0 = cy0 >> TILE_SHIFT;
  const tx1 = (cx1 >> TILE_SHIFT) + 1;
  const ty1 = (cy1 >> TILE_SHIFT) + 1;
  const stride = occ.tilesX + 1;
  const t = occ.table;
  return (
    t[ty1 * stride + tx1]! - t[ty0 * stride + tx1]! - t[ty1 * stride + tx0]! + t[ty0 * stride + tx0]! > 0
  );
}
