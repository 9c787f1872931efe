import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { labelComponents } from './detect-objects.js';

/** Brute force: flood fill over explicit 26-neighbourhoods. */
function referenceLabels(idx: Uint32Array, nx: number, ny: number, nz: number): number[] {
  const at = new Map<number, number>();
  idx.forEach((v, i) => at.set(v, i));
  const label = new Array<number>(idx.length).fill(-1);
  for (let s = 0; s < idx.length; s++) {
    if (label[s] !== -1) continue;
    label[s] = s;
    const stack = [s];
    while (stack.length) {
      const i = stack.pop()!;
      const v = idx[i]!;
      const x = v % nx;
      const y = Math.floor(v / nx) % ny;
      const z = Math.floor(v / (nx * ny));
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const [a, b, c] = [x + dx, y + dy, z + dz];
            if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz) continue;
            const j = at.get(a + nx * (b + ny * c));
            if (j !== undefined && label[j] === -1) {
              label[j] = s;
              stack.push(j);
            }
          }
    }
  }
  return label;
}

/** Same partition: voxels share a root exactly when they share a reference label. */
function samePartition(roots: Int32Array, reference: number[]): boolean {
  const map = new Map<number, number>();
  const back = new Map<number, number>();
  for (let i = 0; i < reference.length; i++) {
    const r = roots[i]!;
    const l = reference[i]!;
    if ((map.get(r) ?? l) !== l || (back.get(l) ?? r) !== r) return false;
    map.set(r, l);
    back.set(l, r);
  }
  return true;
}

describe('labelComponents', () => {
  it('matches a flood fill on random voxel sets (edges of rows and planes included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (nx, ny, nz, density, seed) => {
          let state = seed || 1;
          const idx: number[] = [];
          for (let v = 0; v < nx * ny * nz; v++) {
            state = (state * 48271) % 2147483647;
            if (state / 2147483647 < density) idx.push(v);
          }
          const sorted = Uint32Array.from(idx);
          return samePartition(labelComponents(sorted, nx, ny), referenceLabels(sorted, nx, ny, nz));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps voxels at opposite ends of a row apart', () => {
    // (nx-1, 0, 0) and (0, 1, 0) are adjacent in index order but not in space.
    const roots = labelComponents(Uint32Array.from([3, 4]), 4, 4);
    expect(roots[0]).not.toBe(roots[1]);
  });
});
