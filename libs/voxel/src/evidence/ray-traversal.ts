import type { VoxelGridDescriptor } from '@voxelfleet/contracts';
import type { Vec3 } from '../math/mat3.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;
const INF = 1 / 0;

/**
 * Called for each voxel a ray crosses, in order, with the ray parameters where it enters and
 * leaves the voxel. Return false to stop the walk.
 */
export type VoxelVisitor = (
  index: number,
  ix: number,
  iy: number,
  iz: number,
  tEnter: number,
  tExit: number,
) => boolean;

/** Ray parameter interval inside the grid's box, or null when the ray misses it (t >= 0 only). */
export function clipRayToGrid(
  grid: VoxelGridDescriptor,
  origin: Vec3,
  direction: Vec3,
): [number, number] | null {
  let t0 = 0;
  let t1 = INF;
  for (let a = 0; a < 3; a++) {
    const lo = grid.origin[a]!;
    const hi = lo + grid.dims[a]! * grid.voxelSize;
    const o = origin[a]!;
    const d = direction[a]!;
    if (d === 0) {
      if (o < lo || o >= hi) return null;
      continue;
    }
    let ta = (lo - o) / d;
    let tb = (hi - o) / d;
    if (ta > tb) [ta, tb] = [tb, ta];
    if (ta > t0) t0 = ta;
    if (tb < t1) t1 = tb;
    if (t0 >= t1) return null;
  }
  return [t0, t1];
}

/**
 * Amanatides-Woo traversal: visits every voxel the ray crosses, face-adjacent steps only, no
 * allocation per step. Returns the number of voxels visited.
 */
export function traverseRay(
  grid: VoxelGridDescriptor,
  origin: Vec3,
  direction: Vec3,
  visit: VoxelVisitor,
  tLimit = INF,
): number {
  const clip = clipRayToGrid(grid, origin, direction);
  if (!clip) return 0;
  const [tStart, tEndGrid] = clip;
  const tEnd = M.min(tEndGrid, tLimit);
  if (tStart >= tEnd) return 0;
  const [nx, ny, nz] = grid.dims;
  const size = grid.voxelSize;
  const [dx, dy, dz] = direction;
  // Enter at the midpoint-free start point; clamp guards the face the clip landed on exactly.
  const sx = (origin[0] + tStart * dx - grid.origin[0]) / size;
  const sy = (origin[1] + tStart * dy - grid.origin[1]) / size;
  const sz = (origin[2] + tStart * dz - grid.origin[2]) / size;
  let ix = M.min(nx - 1, M.max(0, M.floor(sx)));
  let iy = M.min(ny - 1, M.max(0, M.floor(sy)));
  let iz = M.min(nz - 1, M.max(0, M.floor(sz)));
  const stepX = dx > 0 ? 1 : -1;
  const stepY = dy > 0 ? 1 : -1;
  const stepZ = dz > 0 ? 1 : -1;
  const boundary = (i: number, step: number, o: number, d: number, a: number): number =>
    d === 0 ? INF : (grid.origin[a]! + (i + (step > 0 ? 1 : 0)) * size - o) / d;
  let tMaxX = boundary(ix, stepX, origin[0], dx, 0);
  let tMaxY = boundary(iy, stepY, origin[1], dy, 1);
  let tMaxZ = boundary(iz, stepZ, origin[2], dz, 2);
  const tDeltaX = dx === 0 ? INF : size / M.abs(dx);
  const tDeltaY = dy === 0 ? INF : size / M.abs(dy);
  const tDeltaZ = dz === 0 ? INF : size / M.abs(dz);
  let t = tStart;
  let visited = 0;
  for (;;) {
    const tNext = M.min(tMaxX, tMaxY, tMaxZ, tEnd);
    visited++;
    if (!visit(ix + nx * (iy + ny * iz), ix, iy, iz, t, tNext)) return visited;
    if (tNext >= tEnd) return visited;
    t = tNext;
    if (tMaxX <= tMaxY && tMaxX <= tMaxZ) {
      ix += stepX;
      if (ix < 0 || ix >= nx) return visited;
      tMaxX += tDeltaX;
    } else if (tMaxY <= tMaxZ) {
      iy += stepY;
      if (iy < 0 || iy >= ny) return visited;
      tMaxY += tDeltaY;
    } else {
      iz += stepZ;
      if (iz < 0 || iz >= nz) return visited;
      tMaxZ += tDeltaZ;
    }
  }
}

/** The voxel indices a ray crosses, in order (for tests and tooling; the hot paths use traverseRay). */
export function rayVoxelIndices(
  grid: VoxelGridDescriptor,
  origin: Vec3,
  direction: Vec3,
  tLimit = INF,
): number[] {
  const out: number[] = [];
  traverseRay(grid, origin, direction, (index) => out.push(index) > 0, tLimit);
  return out;
}
