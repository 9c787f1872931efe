import type { EvidenceCamera, VoxelGridDescriptor } from '@voxelfleet/contracts';
import type { Detection } from './detect-objects.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/** Image cells of 4x4 pixels: about one voxel footprint, coarse enough to ignore sampling gaps. */
const CELL_SHIFT = 2;
const CELLS_PER_CAMERA = 1 << 22;

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
  const footprints: Int32Array[] = detections.map((d) => {
    const cells = new Set<number>();
    d.voxels.forEach((v, i) => {
      const supporting = d.voxelCameras[i]!;
      const ix = v % nx;
      const iy = M.floor(v / nx) % ny;
      const iz = M.floor(v / (nx * ny));
      const X = grid.origin[0] + (ix + 0.5) * grid.voxelSize;
      const Y = grid.origin[1] + (iy + 0.5) * grid.voxelSize;
      const Z = grid.origin[2] + (iz + 0.5) * grid.voxelSize;
      cameras.forEach((c, k) => {
        // Only cameras that saw motion there: a camera that does not support the voxel has
        // nothing there for another detection to explain.
        if (!((supporting >>> k) & 1)) return;
        const p = c.projection;
        const w = p[8]! * X + p[9]! * Y + p[10]! * Z + p[11]!;
        if (!(w > 0)) return;
        const px = M.floor((p[0]! * X + p[1]! * Y + p[2]! * Z + p[3]!) / w);
        const py = M.floor((p[4]! * X + p[5]! * Y + p[6]! * Z + p[7]!) / w);
        if (px < 0 || py < 0 || px >= c.width || py >= c.height) return;
        const cellsX = (c.width >> CELL_SHIFT) + 1;
        cells.add(k * CELLS_PER_CAMERA + (py >> CELL_SHIFT) * cellsX + (px >> CELL_SHIFT));
      });
    });
    return Int32Array.from(cells);
  });
  // Coverage uses footprints grown by one cell: voxel centres sample a silhouette sparsely,
  // and a ghost's cells tend to lie on the silhouette edges of the objects that cause it.
  const grown = footprints.map((cells) => {
    const out = new Set<number>();
    for (const cell of cells) {
      const k = M.floor(cell / CELLS_PER_CAMERA);
      const local = cell - k * CELLS_PER_CAMERA;
      const cellsX = (cameras[k]!.width >> CELL_SHIFT) + 1;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const n = local + dy * cellsX + dx;
          if (n >= 0) out.add(k * CELLS_PER_CAMERA + n);
        }
      }
    }
    return Int32Array.from(out);
  });
  const alive = detections.map(() => true);
  for (;;) {
    const coverage = new Map<number, number>();
    grown.forEach((cells, d) => {
      if (!alive[d]) return;
      for (const cell of cells) coverage.set(cell, (coverage.get(cell) ?? 0) + 1);
    });
    let worst = -1;
    let worstScore = minUniqueFraction;
    footprints.forEach((cells, d) => {
      if (!alive[d]) return;
      const total = new Map<number, number>();
      const unique = new Map<number, number>();
      for (const cell of cells) {
        const k = M.floor(cell / CELLS_PER_CAMERA);
        total.set(k, (total.get(k) ?? 0) + 1);
        if (coverage.get(cell) === 1) unique.set(k, (unique.get(k) ?? 0) + 1);
      }
      let best = 0;
      for (const [k, n] of total) best = M.max(best, (unique.get(k) ?? 0) / n);
      if (best < worstScore) {
        worstScore = best;
        worst = d;
      }
    });
    if (worst < 0) break;
    alive[worst] = false;
  }
  return detections.filter((_, d) => alive[d]);
}
