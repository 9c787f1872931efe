import type { EvidenceResult, VoxelGridDescriptor } from '@voxelfleet/contracts';
import { popcount32 } from '../evidence/evidence-plan.js';
import type { Vec3 } from '../math/mat3.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/** One object found in an evidence volume. */
export interface Detection {
  /** Weighted centroid, world metres. */
  position: Vec3;
  /** 3x3 row-major covariance of the object's voxels (spread plus voxel quantisation), m². */
  covariance: number[];
  /** 0..1: mean fraction of the rig's cameras supporting its voxels. */
  confidence: number;
  voxelCount: number;
  /** Indices of the voxels the detection was computed from (its core), ascending. */
  voxels: Uint32Array;
  /** Supporting-camera bitmask of each of those voxels. */
  voxelCameras: Uint32Array;
}

export interface DetectOptions {
  /** Cameras in the rig, to turn support counts into a confidence. */
  cameraCount: number;
  /** Components smaller than this are noise. */
  minVoxels: number;
  /** Only voxels with at least this many supporting cameras are used (>= the evidence minimum). */
  minSupport: number;
  /** ... or, when given, at least this many for each voxel (indexed like the grid). */
  requiredSupport?: Uint8Array | null;
}

/** Root of i's set, halving the path on the way (every other node points to its grandparent). */
function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const up = parent[parent[i]!]!;
    parent[i] = up;
    i = up;
  }
  return i;
}

/**
 * The 13 of the 26 neighbours that come before a voxel in x-fastest index order are the voxel
 * just before it in its row, and three voxels (x-1..x+1) in each of four earlier rows: the
 * row above in its plane, and the rows above, at and below it in the plane before.
 */
const ROW_DY = [-1, -1, 0, 1] as const;
const ROW_DZ = [0, -1, -1, -1] as const;

/**
 * Labels 26-connected components of a set of voxels given by ascending indices (union-find,
 * looking back at the 13 neighbours with smaller index). Returns a root per voxel.
 * As the voxel index grows, so does the start of each earlier row's three-voxel window, so one
 * cursor per earlier row walks the sorted list once: O(n) instead of a search per neighbour.
 */
export function labelComponents(idx: Uint32Array, nx: number, ny: number): Int32Array {
  const n = idx.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const plane = nx * ny;
  const rowOffsets = ROW_DY.map((dy, r) => dy * nx + ROW_DZ[r]! * plane);
  const cursors = new Int32Array(4);
  const union = (a: number, b: number): void => {
    const ra = findRoot(parent, a);
    const rb = findRoot(parent, b);
    // The smaller index becomes the root: trees stay shallow as the scan moves forward.
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  for (let i = 0; i < n; i++) {
    const v = idx[i]!;
    const x = v % nx;
    const y = M.floor(v / nx) % ny;
    const z = M.floor(v / plane);
    if (i > 0 && x > 0 && idx[i - 1] === v - 1) union(i, i - 1);
    for (let r = 0; r < 4; r++) {
      const yy = y + ROW_DY[r]!;
      if (yy < 0 || yy >= ny || z + ROW_DZ[r]! < 0) continue;
      // The window's first voxel, (x-1, yy, zz); it may wrap to the previous row at x = 0.
      const first = v + rowOffsets[r]! - 1;
      let j = cursors[r]!;
      while (j < i && idx[j]! < first) j++;
      cursors[r] = j;
      for (let t = j; t < i; t++) {
        const w = idx[t]!;
        if (w > first + 2) break;
        const xx = x + (w - first) - 1;
        if (xx >= 0 && xx < nx) union(i, t); // not wrapped around a row
      }
    }
  }
  for (let i = 0; i < n; i++) parent[i] = findRoot(parent, i);
  return parent;
}

/**
 * Detection in two steps. Voxels with at least minSupport cameras form components; then,
 * within each component, only its core (the voxels with the component's highest support) is
 * kept and split again. The halo a k-of-M threshold adds around every object is what glues
 * nearby objects together; their cores (the visual hulls) stay apart. Each core piece of at
 * least minVoxels voxels becomes a detection: support-weighted centroid and covariance.
 */
export function detectObjects(
  evidence: EvidenceResult,
  grid: VoxelGridDescriptor,
  options: DetectOptions,
): Detection[] {
  const [nx, ny] = grid.dims;
  // Plain loops into preallocated arrays: TypedArray.from with a mapping function is slow.
  const all = evidence.indices.length;
  const idxAll = new Uint32Array(all);
  const supportAll = new Uint8Array(all);
  const bitsAll = new Uint32Array(all);
  let n = 0;
  const required = options.requiredSupport ?? null;
  for (let i = 0; i < all; i++) {
    const bits = evidence.masks[i]!;
    const s = popcount32(bits);
    if (s < (required === null ? options.minSupport : required[evidence.indices[i]!]!)) continue;
    idxAll[n] = evidence.indices[i]!;
    supportAll[n] = s;
    bitsAll[n] = bits;
    n++;
  }
  const idx = idxAll.subarray(0, n);
  const support = supportAll.subarray(0, n);
  const cameraBits = bitsAll.subarray(0, n);
  const roots = labelComponents(idx, nx, ny);
  const members = new Map<number, number[]>();
  for (let i = 0; i < idx.length; i++) {
    const list = members.get(roots[i]!);
    if (list) list.push(i);
    else members.set(roots[i]!, [i]);
  }
  const out: Detection[] = [];
  for (const list of members.values()) {
    let best = 0;
    for (const i of list) best = M.max(best, support[i]!);
    const core = list.filter((i) => support[i] === best); // ascending, as list is
    const coreIdx = new Uint32Array(core.length);
    for (let c = 0; c < core.length; c++) coreIdx[c] = idx[core[c]!]!;
    const coreRoots = labelComponents(coreIdx, nx, ny);
    const pieces = new Map<number, number[]>();
    core.forEach((i, c) => {
      const piece = pieces.get(coreRoots[c]!);
      if (piece) piece.push(i);
      else pieces.set(coreRoots[c]!, [i]);
    });
    for (const piece of pieces.values()) {
      if (piece.length >= options.minVoxels)
        out.push(summarise(piece, idx, support, cameraBits, grid, options.cameraCount));
    }
  }
  // A stable order (by position) keeps downstream assignment deterministic.
  out.sort(
    (a, b) => a.position[2] - b.position[2] || a.position[1] - b.position[1] || a.position[0] - b.position[0],
  );
  return out;
}

function summarise(
  piece: number[],
  idx: Uint32Array,
  support: Uint8Array,
  cameraBits: Uint32Array,
  grid: VoxelGridDescriptor,
  cameraCount: number,
): Detection {
  const [nx, ny] = grid.dims;
  const size = grid.voxelSize;
  // Moments in voxel coordinates relative to the first voxel keep the sums well conditioned.
  const first = idx[piece[0]!]!;
  const ox = first % nx;
  const oy = M.floor(first / nx) % ny;
  const oz = M.floor(first / (nx * ny));
  let w = 0;
  let sx = 0;
  let sy = 0;
  let sz = 0;
  let sxx = 0;
  let sxy = 0;
  let sxz = 0;
  let syy = 0;
  let syz = 0;
  let szz = 0;
  for (const i of piece) {
    const v = idx[i]!;
    const x = (v % nx) - ox;
    const y = (M.floor(v / nx) % ny) - oy;
    const z = M.floor(v / (nx * ny)) - oz;
    const s = support[i]!;
    w += s;
    sx += s * x;
    sy += s * y;
    sz += s * z;
    sxx += s * x * x;
    sxy += s * x * y;
    sxz += s * x * z;
    syy += s * y * y;
    syz += s * y * z;
    szz += s * z * z;
  }
  const mx = sx / w;
  const my = sy / w;
  const mz = sz / w;
  const q = 1 / 12; // variance of a uniform voxel
  const cxx = sxx / w - mx * mx + q;
  const cxy = sxy / w - mx * my;
  const cxz = sxz / w - mx * mz;
  const cyy = syy / w - my * my + q;
  const cyz = syz / w - my * mz;
  const czz = szz / w - mz * mz + q;
  const s2 = size * size;
  const voxels = new Uint32Array(piece.length);
  const voxelCameras = new Uint32Array(piece.length);
  for (let p = 0; p < piece.length; p++) {
    voxels[p] = idx[piece[p]!]!;
    voxelCameras[p] = cameraBits[piece[p]!]!;
  }
  return {
    position: [
      grid.origin[0] + (ox + mx + 0.5) * size,
      grid.origin[1] + (oy + my + 0.5) * size,
      grid.origin[2] + (oz + mz + 0.5) * size,
    ],
    covariance: [cxx, cxy, cxz, cxy, cyy, cyz, cxz, cyz, czz].map((c) => c * s2),
    confidence: M.min(1, w / piece.length / cameraCount),
    voxelCount: piece.length,
    voxels,
    voxelCameras,
  };
}
