import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';
import { findCandidateLeaves, growUint32 } from './block-culling.js';
import { createEvidencePlan, LEAF_SIZE, type EvidencePlan } from './evidence-plan.js';
import type { MaskOccupancy } from './mask-occupancy.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/**
 * The CPU path of the voxel-evidence contract (libs/contracts/src/voxel-evidence.ts): the same
 * supported voxels and camera masks as the CUDA kernel, bit for bit. Culling happens per
 * block first (coarse-to-fine), then every surviving voxel is tested exactly as the contract
 * states.
 */
export function computeEvidence(req: EvidenceRequest): EvidenceResult {
  const plan = createEvidencePlan(req);
  return computeEvidenceSlab(plan, 0, plan.blocksZ);
}

/**
 * computeEvidence with the masks' tile occupancy supplied by the caller (built from the
 * changed-pixel lists, see buildOccupancyFromPixels), which saves a scan of every mask. The
 * occupancy must be conservative for the masks: same results as computeEvidence.
 */
export function computeEvidenceWithOccupancy(
  req: EvidenceRequest,
  occupancy: MaskOccupancy[],
): EvidenceResult {
  const plan = createEvidencePlan(req, occupancy);
  return computeEvidenceSlab(plan, 0, plan.blocksZ);
}

/**
 * Evidence for the voxels whose z block lies in [bz0, bz1). Slabs cover contiguous index
 * ranges, so results of consecutive slabs concatenate in ascending order; that is how the
 * worker pool splits the work.
 */
export function computeEvidenceSlab(plan: EvidencePlan, bz0: number, bz1: number): EvidenceResult {
  const leaves = findCandidateLeaves(plan, bz0, bz1);
  const { nx, ny, nz, blocksX, blocksY, minCameras, maxVoxels, widths, heights, masks } = plan;
  const { uX, vX, wX, uY, vY, wY, uZ, vZ, wZ, projections } = plan;
  const perSlice = blocksX * blocksY;
  let indices = new Uint32Array(1024);
  let cameraBits = new Uint32Array(1024);
  let count = 0;
  let truncated = false;

  // Per-row constants of the cameras a leaf may use, refilled per (leaf, row).
  const cams = new Int32Array(32);
  const rowU = new Float64Array(32);
  const rowV = new Float64Array(32);
  const rowW = new Float64Array(32);
  const rowUz = new Float64Array(32);
  const rowVz = new Float64Array(32);
  const rowWz = new Float64Array(32);
  const p3 = Float64Array.from(projections, (p) => p[3]!);
  const p7 = Float64Array.from(projections, (p) => p[7]!);
  const p11 = Float64Array.from(projections, (p) => p[11]!);

  let s = 0;
  outer: while (s < leaves.count) {
    const bz = M.floor(leaves.keys[s]! / perSlice);
    let e = s;
    while (e < leaves.count && M.floor(leaves.keys[e]! / perSlice) === bz) e++;
    const z1 = M.min(nz, (bz + 1) * LEAF_SIZE);
    for (let iz = bz * LEAF_SIZE; iz < z1; iz++) {
      let g = s;
      while (g < e) {
        const by = M.floor((leaves.keys[g]! % perSlice) / blocksX);
        let ge = g;
        while (ge < e && M.floor((leaves.keys[ge]! % perSlice) / blocksX) === by) ge++;
        const y1 = M.min(ny, (by + 1) * LEAF_SIZE);
        for (let iy = by * LEAF_SIZE; iy < y1; iy++) {
          for (let leaf = g; leaf < ge; leaf++) {
            const bx = leaves.keys[leaf]! % blocksX;
            const leafCameras = leaves.cameraMasks[leaf]!;
            let m = 0;
            for (let rest = leafCameras; rest !== 0; rest &= rest - 1) {
              const k = 31 - M.clz32(rest & -rest); // lowest set bit
              cams[m] = k;
              rowU[m] = uY[k * ny + iy]!;
              rowV[m] = vY[k * ny + iy]!;
              rowW[m] = wY[k * ny + iy]!;
              rowUz[m] = uZ[k * nz + iz]!;
              rowVz[m] = vZ[k * nz + iz]!;
              rowWz[m] = wZ[k * nz + iz]!;
              m++;
            }
            const x1 = M.min(nx, (bx + 1) * LEAF_SIZE);
            const rowBase = nx * (iy + ny * iz);
            for (let ix = bx * LEAF_SIZE; ix < x1; ix++) {
              let bits = 0;
              let have = 0;
              for (let j = 0; j < m; j++) {
                const k = cams[j]!;
                const xi = k * nx + ix;
                const w = wX[xi]! + rowW[j]! + rowWz[j]! + p11[k]!;
                let hit = false;
                if (w > 0) {
                  const px = M.floor((uX[xi]! + rowU[j]! + rowUz[j]! + p3[k]!) / w);
                  const width = widths[k]!;
                  if (px >= 0 && px < width) {
                    const py = M.floor((vX[xi]! + rowV[j]! + rowVz[j]! + p7[k]!) / w);
                    if (py >= 0 && py < heights[k]! && masks[k]![py * width + px] !== 0) hit = true;
                  }
                }
                if (hit) {
                  bits |= 1 << k;
                  have++;
                } else if (have + (m - j - 1) < minCameras) {
                  break;
                }
              }
              if (have >= minCameras) {
                if (count === maxVoxels) {
                  truncated = true;
                  break outer;
                }
                if (count === indices.length) {
                  indices = growUint32(indices);
                  cameraBits = growUint32(cameraBits);
                }
                indices[count] = rowBase + ix;
                cameraBits[count] = bits >>> 0;
                count++;
              }
            }
          }
        }
        g = ge;
      }
    }
    s = e;
  }
  return { indices: indices.slice(0, count), masks: cameraBits.slice(0, count), truncated };
}
