import type { EvidenceCamera, VoxelGridDescriptor } from '@voxelfleet/contracts';
import type { Detection } from './detect-objects.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/** Image cells of 4x4 pixels: about one voxel footprint, coarse enough to ignore sampling gaps. */
const CELL_SHIFT = 2;

/**
 * Cell ids are dense over all cameras: camera k's cells start at base[k]. A camera's row has
 * one spare cell (cellsX = (width >> CELL_SHIFT) + 1), so growing a cell leftwards from column
 * 0 lands on the previous row's spare cell, never on a real neighbour; a spare row above and
 * two below hold the grown cells at the image's top and bottom edges.
 */
interface CellLayout {
  base: Int32Array;
  cellsX: Int32Array;
  total: number;
}

function cellLayout(cameras: Pick<EvidenceCamera, 'width' | 'height'>[]): CellLayout {
  const base = new Int32Array(cameras.length);
  const cellsX = new Int32Array(cameras.length);
  let total = 0;
  cameras.forEach((c, k) => {
    cellsX[k] = (c.width >> CELL_SHIFT) + 1;
    base[k] = total + cellsX[k] + 1; // one spare row (and cell) before the image
    total = base[k] + cellsX[k] * ((c.height >> CELL_SHIFT) + 3);
  });
  return { base, cellsX, total };
}

/** Reused between calls: a stamp per cell (deduplication) and a coverage count per cell. */
let scratch = { stamp: new Int32Array(0), coverage: new Int32Array(0), generation: 0 };

function scratchFor(total: number): typeof scratch {
  if (scratch.stamp.length < total) {
    scratch = { stamp: new Int32Array(total), coverage: new Int32Array(total), generation: 0 };
  }
  if (scratch.generation > 2 ** 30) {
    scratch.stamp.fill(0);
    scratch.generation = 0;
  }
  return scratch;
}

/**
 * Removes "ghosts": with few cameras and many objects, the cones of different objects also
 * intersect where nothing is, and such an intersection is supported by every camera. A real
 * object is needed to explain some of the motion in at least one camera; a ghost's footprint
 * is covered by other detections in every camera. Repeatedly drops the detection whose best
 * camera has the smallest fraction of cells that no other detection covers, while that
 * fraction is below `minUniqueFraction`.
 */
export function suppressGhosts(
  detections: Detection[],
  cameras: Pick<EvidenceCamera, 'projection' | 'width' | 'height'>[],
  grid: VoxelGridDescriptor,
  minUniqueFraction = 0.2,
): Detection[] {
  if (detections.length < 2) return detections;
  const [nx, ny] = grid.dims;
  const layout = cellLayout(cameras);
  const work = scratchFor(layout.total);
  const { stamp, coverage } = work;
  const { base, cellsX } = layout;
  const projections = cameras.map((c) => c.projection);
  const widths = Int32Array.from(cameras, (c) => c.width);
  const heights = Int32Array.from(cameras, (c) => c.height);
  // Bits of cameras beyond the list (a rig larger than the frame-set's) are never projected.
  const cameraBits = cameras.length >= 32 ? -1 : (1 << cameras.length) - 1;
  const [ox, oy, oz] = grid.origin;
  const size = grid.voxelSize;
  /** The cells of detection d's voxels in the cameras of `only` (a bitmask), and each cell's camera. */
  const footprintOf = (d: Detection, only: number): { cells: Int32Array; cams: Uint8Array } => {
    const mark = ++work.generation;
    const cells: number[] = [];
    const cams: number[] = [];
    const { voxels, voxelCameras } = d;
    for (let i = 0; i < voxels.length; i++) {
      // Only cameras that saw motion there: a camera that does not support the voxel has
      // nothing there for another detection to explain.
      let left = voxelCameras[i]! & only;
      if (left === 0) continue;
      const v = voxels[i]!;
      const X = ox + ((v % nx) + 0.5) * size;
      const Y = oy + ((M.floor(v / nx) % ny) + 0.5) * size;
      const Z = oz + (M.floor(v / (nx * ny)) + 0.5) * size;
      for (; left !== 0; left &= left - 1) {
        const k = 31 - M.clz32(left & -left);
        const p = projections[k]!;
        const w = p[8]! * X + p[9]! * Y + p[10]! * Z + p[11]!;
        if (!(w > 0)) continue;
        const px = M.floor((p[0]! * X + p[1]! * Y + p[2]! * Z + p[3]!) / w);
        const py = M.floor((p[4]! * X + p[5]! * Y + p[6]! * Z + p[7]!) / w);
        if (px < 0 || py < 0 || px >= widths[k]! || py >= heights[k]!) continue;
        const cell = base[k]! + (py >> CELL_SHIFT) * cellsX[k]! + (px >> CELL_SHIFT);
        if (stamp[cell] !== mark) {
          stamp[cell] = mark;
          cells.push(cell);
          cams.push(k);
        }
      }
    }
    return { cells: Int32Array.from(cells), cams: Uint8Array.from(cams) };
  };
  // Coverage uses footprints grown by one cell: voxel centres sample a silhouette sparsely,
  // and a ghost's cells tend to lie on the silhouette edges of the objects that cause it.
  const grow = ({ cells, cams }: { cells: Int32Array; cams: Uint8Array }): Int32Array => {
    const mark = ++work.generation;
    const out: number[] = [];
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      const rowCells = cellsX[cams[i]!]!;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const n = cell + dy * rowCells + dx;
          if (stamp[n] !== mark) {
            stamp[n] = mark;
            out.push(n);
          }
        }
      }
    }
    return Int32Array.from(out);
  };

  // Fast path, camera by camera: a detection with at least minUniqueFraction of its cells
  // unique in one camera is never dropped (dropping others only makes its cells more unique).
  // When every detection is settled that way nothing is dropped, usually after a camera or
  // two, without projecting every voxel into every camera.
  const settled = new Uint8Array(detections.length);
  let unsettled = detections.length;
  for (let k = 0; k < cameras.length && unsettled > 0; k++) {
    const inCamera = detections.map((d) => footprintOf(d, 1 << k));
    const grownInCamera = inCamera.map(grow);
    for (const cells of grownInCamera) for (const cell of cells) coverage[cell]!++;
    inCamera.forEach(({ cells }, d) => {
      if (settled[d] || cells.length === 0) return;
      let unique = 0;
      for (let i = 0; i < cells.length; i++) if (coverage[cells[i]!] === 1) unique++;
      if (unique / cells.length >= minUniqueFraction) {
        settled[d] = 1;
        unsettled--;
      }
    });
    for (const cells of grownInCamera) for (const cell of cells) coverage[cell]!--;
  }
  if (unsettled === 0) return detections;

  // Each footprint over all cameras: its cells and, aligned, the camera of each cell.
  const footprints = detections.map((d) => footprintOf(d, cameraBits));
  const grown = footprints.map(grow);
  for (const cells of grown) for (const cell of cells) coverage[cell]!++;
  const alive = detections.map(() => true);
  const total = new Int32Array(cameras.length);
  const unique = new Int32Array(cameras.length);
  for (;;) {
    let worst = -1;
    let worstScore = minUniqueFraction;
    footprints.forEach(({ cells, cams }, d) => {
      if (!alive[d]) return;
      total.fill(0);
      unique.fill(0);
      for (let i = 0; i < cells.length; i++) {
        const k = cams[i]!;
        total[k]!++;
        if (coverage[cells[i]!] === 1) unique[k]!++;
      }
      let best = 0;
      for (let k = 0; k < cameras.length; k++) if (total[k]! > 0) best = M.max(best, unique[k]! / total[k]!);
      if (best < worstScore) {
        worstScore = best;
        worst = d;
      }
    });
    if (worst < 0) break;
    alive[worst] = false;
    for (const cell of grown[worst]!) coverage[cell]!--;
  }
  // Leave the shared coverage at zero for the next call.
  grown.forEach((cells, d) => {
    if (alive[d]) for (const cell of cells) coverage[cell]!--;
  });
  return detections.filter((_, d) => alive[d]);
}
