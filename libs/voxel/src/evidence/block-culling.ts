import { LEAF_SIZE, popcount32, type EvidencePlan } from './evidence-plan.js';
import { mayHaveMotion } from './mask-occupancy.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;
const INF = 1 / 0;

/**
 * Coarse-to-fine pass: a box of voxels is split in halves only while at least minCameras
 * cameras may still support some voxel in it. A camera may support a box when the box's
 * projection (the bounding rectangle of its eight projected corner centres, widened for
 * rounding) touches a motion tile, or when the box straddles the camera's image plane.
 * Because u/w and v/w are linear-fractional, their extremes over a box in front of the camera
 * lie at its corners, so culling never drops a voxel the exact per-voxel test would keep.
 * Memory and time follow the boxes that survive, not the bounding volume.
 */
export interface LeafBlocks {
  /** Leaf block keys bx + blocksX * (by + blocksY * bz), ascending. */
  keys: Int32Array;
  /** Cameras that may support some voxel in the leaf, aligned with keys. */
  cameraMasks: Uint32Array;
  count: number;
}

function cameraMaySupportBox(
  plan: EvidencePlan,
  k: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  z0: number,
  z1: number,
): boolean {
  const p = plan.projections[k]!;
  const xs0 = plan.centresX[x0]!;
  const xs1 = plan.centresX[x1 - 1]!;
  const ys0 = plan.centresY[y0]!;
  const ys1 = plan.centresY[y1 - 1]!;
  const zs0 = plan.centresZ[z0]!;
  const zs1 = plan.centresZ[z1 - 1]!;
  let minW = INF;
  let maxW = -INF;
  let minU = INF;
  let maxU = -INF;
  let minV = INF;
  let maxV = -INF;
  let magnitude = 0;
  for (let c = 0; c < 8; c++) {
    const x = c & 1 ? xs1 : xs0;
    const y = c & 2 ? ys1 : ys0;
    const z = c & 4 ? zs1 : zs0;
    const w = p[8]! * x + p[9]! * y + p[10]! * z + p[11]!;
    const u = p[0]! * x + p[1]! * y + p[2]! * z + p[3]!;
    const v = p[4]! * x + p[5]! * y + p[6]! * z + p[7]!;
    magnitude = M.max(
      magnitude,
      M.abs(p[8]! * x) + M.abs(p[9]! * y) + M.abs(p[10]! * z) + M.abs(p[11]!),
      M.abs(p[0]! * x) + M.abs(p[1]! * y) + M.abs(p[2]! * z) + M.abs(p[3]!),
      M.abs(p[4]! * x) + M.abs(p[5]! * y) + M.abs(p[6]! * z) + M.abs(p[7]!),
    );
    if (w < minW) minW = w;
    if (w > maxW) maxW = w;
    const uw = u / w;
    const vw = v / w;
    if (uw < minU) minU = uw;
    if (uw > maxU) maxU = uw;
    if (vw < minV) minV = vw;
    if (vw > maxV) maxV = vw;
  }
  // Rounding of the exact per-voxel sums stays far below this slack.
  const eps = magnitude * 1e-12;
  if (maxW < -eps) return false;
  if (!(minW > eps)) return plan.occupancy[k]!.total > 0;
  const margin = 1 + (magnitude / minW) * 1e-9;
  return mayHaveMotion(
    plan.occupancy[k]!,
    M.floor(minU - margin),
    M.floor(maxU + margin),
    M.floor(minV - margin),
    M.floor(maxV + margin),
  );
}

/** Leaf blocks with z block in [bz0, bz1) that may hold supported voxels, in ascending key order. */
export function findCandidateLeaves(plan: EvidencePlan, bz0: number, bz1: number): LeafBlocks {
  let keys = new Int32Array(256);
  let cameraMasks = new Uint32Array(256);
  let count = 0;
  const { nx, ny, nz, blocksX, blocksY, minCameras, cameraCount } = plan;

  const visit = (
    bx0: number,
    bx1: number,
    by0: number,
    by1: number,
    zb0: number,
    zb1: number,
    candidates: number,
  ) => {
    const x0 = bx0 * LEAF_SIZE;
    const y0 = by0 * LEAF_SIZE;
    const z0 = zb0 * LEAF_SIZE;
    const x1 = M.min(nx, bx1 * LEAF_SIZE);
    const y1 = M.min(ny, by1 * LEAF_SIZE);
    const z1 = M.min(nz, zb1 * LEAF_SIZE);
    let supported = 0;
    for (let k = 0; k < cameraCount; k++) {
      if ((candidates >>> k) & 1 && cameraMaySupportBox(plan, k, x0, x1, y0, y1, z0, z1)) supported |= 1 << k;
    }
    if (popcount32(supported) < minCameras) return;
    const ex = bx1 - bx0;
    const ey = by1 - by0;
    const ez = zb1 - zb0;
    if (ex === 1 && ey === 1 && ez === 1) {
      if (count === keys.length) {
        keys = growInt32(keys);
        cameraMasks = growUint32(cameraMasks);
      }
      keys[count] = bx0 + blocksX * (by0 + blocksY * zb0);
      cameraMasks[count] = supported >>> 0;
      count++;
      return;
    }
    if (ex >= ey && ex >= ez) {
      const mid = bx0 + (ex >> 1);
      visit(bx0, mid, by0, by1, zb0, zb1, supported);
      visit(mid, bx1, by0, by1, zb0, zb1, supported);
    } else if (ey >= ez) {
      const mid = by0 + (ey >> 1);
      visit(bx0, bx1, by0, mid, zb0, zb1, supported);
      visit(bx0, bx1, mid, by1, zb0, zb1, supported);
    } else {
      const mid = zb0 + (ez >> 1);
      visit(bx0, bx1, by0, by1, zb0, mid, supported);
      visit(bx0, bx1, by0, by1, mid, zb1, supported);
    }
  };
  if (bz1 > bz0 && popcount32(plan.activeCameras) >= minCameras) {
    visit(0, blocksX, 0, blocksY, bz0, bz1, plan.activeCameras);
  }
  return sortLeaves(keys, cameraMasks, count);
}

function sortLeaves(keys: Int32Array, cameraMasks: Uint32Array, count: number): LeafBlocks {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => keys[a]! - keys[b]!);
  const sortedKeys = new Int32Array(count);
  const sortedMasks = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    sortedKeys[i] = keys[order[i]!]!;
    sortedMasks[i] = cameraMasks[order[i]!]!;
  }
  return { keys: sortedKeys, cameraMasks: sortedMasks, count };
}

export function growInt32(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  return out;
}

export function growUint32(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const out = new Uint32Array(a.length * 2);
  out.set(a);
  return out;
}
