import { describe, expect, it } from '@jest/globals';
import { createGridDescriptor, voxelCoords } from '../grid/grid-descriptor.js';
import { normalize3, type Vec3 } from '../math/mat3.js';
import { SeededRandom } from '../math/random.js';
import { clipRayToGrid, rayVoxelIndices, traverseRay } from './ray-traversal.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

const grid = createGridDescriptor([-1, 2, 0.5], [17, 23, 11], 0.25);

/** Dense sampling along the ray: the voxels it certainly passes through. */
function sampledVoxels(origin: Vec3, dir: Vec3): Set<number> {
  const seen = new Set<number>();
  const [nx, ny, nz] = grid.dims;
  const clip = clipRayToGrid(grid, origin, dir);
  if (!clip) return seen;
  for (let t = clip[0]; t < clip[1]; t += 0.001) {
    const gx = M.floor((origin[0] + t * dir[0] - grid.origin[0]) / grid.voxelSize);
    const gy = M.floor((origin[1] + t * dir[1] - grid.origin[1]) / grid.voxelSize);
    const gz = M.floor((origin[2] + t * dir[2] - grid.origin[2]) / grid.voxelSize);
    if (gx >= 0 && gx < nx && gy >= 0 && gy < ny && gz >= 0 && gz < nz) seen.add(gx + nx * (gy + ny * gz));
  }
  return seen;
}

describe('Amanatides-Woo traversal', () => {
  it('visits every voxel a brute-force sampler finds, in face-adjacent steps, nothing it does not cross', () => {
    const rng = new SeededRandom(5);
    let crossing = 0;
    for (let i = 0; i < 200; i++) {
      const inside = i % 3 === 0;
      const origin: Vec3 = inside
        ? [rng.range(-1, 3.2), rng.range(2, 7.7), rng.range(0.5, 3.2)]
        : [rng.range(-6, 8), rng.range(-4, 12), rng.range(-4, 8)];
      const dir = normalize3([rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1)]);
      const visited = rayVoxelIndices(grid, origin, dir);
      const sampled = sampledVoxels(origin, dir);
      const visitedSet = new Set(visited);
      expect(visitedSet.size).toBe(visited.length); // no voxel twice
      for (const v of sampled) expect(visitedSet.has(v)).toBe(true);
      // every step moves to a face neighbour: no skipped voxels
      for (let s = 1; s < visited.length; s++) {
        const a = voxelCoords(grid, visited[s - 1]!);
        const b = voxelCoords(grid, visited[s]!);
        expect(M.abs(a[0] - b[0]) + M.abs(a[1] - b[1]) + M.abs(a[2] - b[2])).toBe(1);
      }
      // the sampler can miss corner clips shorter than its step, never whole voxels
      expect(visited.length - sampled.size).toBeLessThanOrEqual(2);
      if (visited.length > 0) crossing++;
    }
    expect(crossing).toBeGreaterThan(60);
  });

  it('handles axis-parallel rays and stops at tLimit or when the visitor says so', () => {
    const along = rayVoxelIndices(grid, [-5, 2.1, 0.6], [1, 0, 0]);
    expect(along).toEqual(Array.from({ length: 17 }, (_, i) => i));
    expect(rayVoxelIndices(grid, [-5, 2.1, 0.6], [1, 0, 0], 4.8).length).toBe(4); // x from -1 to -0.2
    let seen = 0;
    traverseRay(grid, [-5, 2.1, 0.6], [1, 0, 0], () => ++seen < 3);
    expect(seen).toBe(3);
    expect(rayVoxelIndices(grid, [-5, 2.1, 0.6], [-1, 0, 0])).toEqual([]);
  });
});
