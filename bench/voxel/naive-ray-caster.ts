import type { VoxelGridDescriptor } from '@voxelfleet/contracts';
import { pixelToRay, type CameraModel, type MotionPixels } from '@voxelfleet/voxel';

/**
 * The anchor algorithm the benchmark compares against, as the original pixel-to-voxel
 * projector does it: one thread, every changed pixel's ray walked through the whole grid
 * (Amanatides-Woo), its pixel difference added to every voxel it crosses, one float grid.
 * Returns the number of voxel steps taken.
 */
export function castRawSum(
  grid: VoxelGridDescriptor,
  sum: Float32Array,
  camera: CameraModel,
  motion: MotionPixels,
): number {
  const [nx, ny, nz] = grid.dims;
  const size = grid.voxelSize;
  const lo = grid.origin;
  const hi = [lo[0] + nx * size, lo[1] + ny * size, lo[2] + nz * size];
  const origin = camera.position;
  let steps = 0;
  for (let p = 0; p < motion.count; p++) {
    const pixel = motion.indices[p]!;
    const weight = motion.weights[p]!;
    const d = pixelToRay(camera, (pixel % camera.width) + 0.5, Math.floor(pixel / camera.width) + 0.5);
    // Slab clip against the grid box.
    let t0 = 0;
    let t1 = Infinity;
    for (let a = 0; a < 3; a++) {
      const da = d[a]!;
      if (da === 0) {
        if (origin[a]! < lo[a]! || origin[a]! >= hi[a]!) t0 = Infinity;
        continue;
      }
      const ta = (lo[a]! - origin[a]!) / da;
      const tb = (hi[a]! - origin[a]!) / da;
      t0 = Math.max(t0, Math.min(ta, tb));
      t1 = Math.min(t1, Math.max(ta, tb));
    }
    if (!(t0 < t1)) continue;
    const start = [0, 1, 2].map((a) => (origin[a]! + (t0 + 1e-9) * d[a]! - lo[a]!) / size);
    let ix = Math.min(nx - 1, Math.max(0, Math.floor(start[0]!)));
    let iy = Math.min(ny - 1, Math.max(0, Math.floor(start[1]!)));
    let iz = Math.min(nz - 1, Math.max(0, Math.floor(start[2]!)));
    const stepX = d[0] > 0 ? 1 : -1;
    const stepY = d[1] > 0 ? 1 : -1;
    const stepZ = d[2] > 0 ? 1 : -1;
    const next = (i: number, s: number, a: number) =>
      d[a] === 0 ? Infinity : (lo[a]! + (i + (s > 0 ? 1 : 0)) * size - origin[a]!) / d[a]!;
    let tMaxX = next(ix, stepX, 0);
    let tMaxY = next(iy, stepY, 1);
    let tMaxZ = next(iz, stepZ, 2);
    const dX = Math.abs(size / d[0]);
    const dY = Math.abs(size / d[1]);
    const dZ = Math.abs(size / d[2]);
    for (;;) {
      sum[ix + nx * (iy + ny * iz)]! += weight;
      steps++;
      if (tMaxX < tMaxY && tMaxX < tMaxZ) {
        ix += stepX;
        if (ix < 0 || ix >= nx) break;
        tMaxX += dX;
      } else if (tMaxY < tMaxZ) {
        iy += stepY;
        if (iy < 0 || iy >= ny) break;
        tMaxY += dY;
      } else {
        iz += stepZ;
        if (iz < 0 || iz >= nz) break;
        tMaxZ += dZ;
      }
    }
  }
  return steps;
}

/** The naive method's detection: the strongest voxel of the raw sum. */
export function argmax(sum: Float32Array): number {
  let best = 0;
  for (let i = 1; i < sum.length; i++) if (sum[i]! > sum[best]!) best = i;
  return best;
}
