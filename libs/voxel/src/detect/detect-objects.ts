import type { EvidenceResult, VoxelGridDescriptor } from '@voxelfleet/contracts';
import { popcount32 } from '../evidence/evidence-plan.js';
import type { Vec3 } from '../math/mat3.js';

/** One object found in an evidence volume. */
export interface Detection {
  /** Weighted centroid, world metres. */
  position: Vec3;
  /** 3x3 row-major covariance of the object's voxels (spread plus voxel quantisation), m². */
  covariance: number[];
  /** 0..1: mean fraction of the rig's cameras supporting its voxels. */
  confidence: number;
  voxelCount: number;
}

export interface DetectOptions {
  /** Cameras in the rig, to turn support counts into a confidence. */
  cameraCount: number;
  /** Components smaller than this are noise. */
  minVoxels: number;
  /** Only voxels with at least this many supporting cameras are used (>= the evidence minimum). */
  minSupport: number;
}

function lowerBound(sorted: Uint32Array, value: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function findRoot(parent: Int32Array, i: number): number {
  let r = i;
  while (parent[r] !== r) r = parent[r]!;
  while (parent[i] !== r) {
    const next = parent[i]!;
    parent[i] = r;
    i = next;
  }
  return r;
}

/**
 * Groups supported voxels into 26-connected components (union-find over the sorted indices,
 * looking back at the 13 neighbours with smaller index), then reduces each component to a
 * support-weighted centroid and covariance.
 */
export function detectObjects(
  evidence: EvidenceResult,
  grid: VoxelGridDescriptor,
  options: DetectOptions,
): Detection[] {
  const [nx, ny] = grid.dims;
  const size = grid.voxelSize;
  // Keep the voxels that pass minSupport; their indices stay ascending.
  const keep: number[] = [];
  for (let i = 0; i < evidence.indices.length; i++) {
    if (popcount32(evidence.masks[i]!) >= options.minSupport) keep.push(i);
  }
  const idx = Uint32Array.from(keep, (i) => evidence.indices[i]!);
  const support = Uint8Array.from(keep, (i) => popcount32(evidence.masks[i]!));
  const n = idx.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  for (let i = 0; i < n; i++) {
    const v = idx[i]!;
    const ix = v % nx;
    const iy = Math.floor(v / nx) % ny;
    for (let dz = -1; dz <= 0; dz++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (dz === 0 && (dy > 0 || (dy === 0 && dx >= 0))) continue; // only neighbours with smaller index
          const x = ix + dx;
          const y = iy + dy;
          if (x < 0 || x >= nx || y < 0 || y >= ny) continue;
          const neighbour = v + dx + nx * (dy + ny * dz);
          if (neighbour < 0) continue;
          const j = lowerBound(idx, neighbour, 0);
          if (j < i && idx[j] === neighbour) {
            const a = findRoot(parent, i);
            const b = findRoot(parent, j);
            if (a !== b) parent[a] = b;
          }
        }
      }
    }
  }
  // Accumulate weighted moments per root.
  const stats = new Map<number, number[]>(); // [w, sx, sy, sz, sxx, sxy, sxz, syy, syz, szz, count, supportSum]
  for (let i = 0; i < n; i++) {
    const r = findRoot(parent, i);
    let s = stats.get(r);
    if (!s) {
      s = new Array<number>(12).fill(0);
      stats.set(r, s);
    }
    const v = idx[i]!;
    const ix = v % nx;
    const iy = Math.floor(v / nx) % ny;
    const iz = Math.floor(v / (nx * ny));
    // Local voxel coordinates keep the moment sums well conditioned.
    const w = support[i]!;
    s[0]! += w;
    s[1]! += w * ix;
    s[2]! += w * iy;
    s[3]! += w * iz;
    s[4]! += w * ix * ix;
    s[5]! += w * ix * iy;
    s[6]! += w * ix * iz;
    s[7]! += w * iy * iy;
    s[8]! += w * iy * iz;
    s[9]! += w * iz * iz;
    s[10]! += 1;
    s[11]! += w;
  }
  const out: Detection[] = [];
  for (const s of stats.values()) {
    const count = s[10]!;
    if (count < options.minVoxels) continue;
    const w = s[0]!;
    const mx = s[1]! / w;
    const my = s[2]! / w;
    const mz = s[3]! / w;
    const q = 1 / 12; // variance of a uniform voxel
    const cxx = s[4]! / w - mx * mx + q;
    const cxy = s[5]! / w - mx * my;
    const cxz = s[6]! / w - mx * mz;
    const cyy = s[7]! / w - my * my + q;
    const cyz = s[8]! / w - my * mz;
    const czz = s[9]! / w - mz * mz + q;
    const s2 = size * size;
    out.push({
      position: [
        grid.origin[0] + (mx + 0.5) * size,
        grid.origin[1] + (my + 0.5) * size,
        grid.origin[2] + (mz + 0.5) * size,
      ],
      covariance: [cxx, cxy, cxz, cxy, cyy, cyz, cxz, cyz, czz].map((c) => c * s2),
      confidence: Math.min(1, s[11]! / count / options.cameraCount),
      voxelCount: count,
    });
  }
  // A stable order (by position) keeps downstream assignment deterministic.
  out.sort(
    (a, b) => a.position[2] - b.position[2] || a.position[1] - b.position[1] || a.position[0] - b.position[0],
  );
  return out;
}
