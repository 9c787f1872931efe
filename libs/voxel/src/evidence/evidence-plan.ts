import type { EvidenceRequest } from '@voxelfleet/contracts';
import { validateGrid } from '../grid/grid-descriptor.js';
import { buildMaskOccupancy, type MaskOccupancy } from './mask-occupancy.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/** Edge of the cubic voxel blocks that culling works on (the leaves of the coarse-to-fine pass). */
export const LEAF_SIZE = 4;

/**
 * Everything the evidence kernel precomputes from a request. The per-axis products
 * (P0·X, P1·Y, ...) are the very terms of the contract's left-to-right sum, so adding them
 * in the stated order gives bit-identical u', v', w'.
 */
export interface EvidencePlan {
  nx: number;
  ny: number;
  nz: number;
  blocksX: number;
  blocksY: number;
  blocksZ: number;
  cameraCount: number;
  minCameras: number;
  maxVoxels: number;
  widths: Int32Array;
  heights: Int32Array;
  masks: Uint8Array[];
  occupancy: MaskOccupancy[];
  projections: Float64Array[];
  /** Voxel-centre coordinates along each axis. */
  centresX: Float64Array;
  centresY: Float64Array;
  centresZ: Float64Array;
  /** [camera * n + i] products for the u, v and w rows, one table per axis. */
  uX: Float64Array;
  vX: Float64Array;
  wX: Float64Array;
  uY: Float64Array;
  vY: Float64Array;
  wY: Float64Array;
  uZ: Float64Array;
  vZ: Float64Array;
  wZ: Float64Array;
  /** Bits of the cameras that saw any motion at all. */
  activeCameras: number;
}

export function validateEvidenceRequest(req: EvidenceRequest): void {
  validateGrid(req.grid);
  const k = req.cameras.length;
  if (k > 32) throw new RangeError('at most 32 cameras per evidence call');
  if (!Number.isInteger(req.minCameras) || req.minCameras < 1 || req.minCameras > M.max(1, k)) {
    throw new RangeError('minCameras must be an integer in 1..cameras.length');
  }
  if (!Number.isInteger(req.maxVoxels) || req.maxVoxels < 0)
    throw new RangeError('maxVoxels must be a non-negative integer');
  req.cameras.forEach((c, i) => {
    if (c.projection.length !== 12) throw new RangeError(`camera ${i}: projection must have 12 elements`);
    if (!Number.isInteger(c.width) || !Number.isInteger(c.height) || c.width < 1 || c.height < 1) {
      throw new RangeError(`camera ${i}: width and height must be positive integers`);
    }
    if (c.mask.length !== c.width * c.height)
      throw new RangeError(`camera ${i}: mask must hold width * height bytes`);
  });
}

function axisCentres(origin: number, size: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = origin + (i + 0.5) * size;
  return out;
}

function productTable(
  projections: Float64Array[],
  column: number,
  row: number,
  centres: Float64Array,
): Float64Array {
  const n = centres.length;
  const out = new Float64Array(projections.length * n);
  projections.forEach((p, k) => {
    const coefficient = p[row * 4 + column]!;
    for (let i = 0; i < n; i++) out[k * n + i] = coefficient * centres[i]!;
  });
  return out;
}

export function createEvidencePlan(req: EvidenceRequest, occupancy?: MaskOccupancy[]): EvidencePlan {
  validateEvidenceRequest(req);
  const [nx, ny, nz] = req.grid.dims;
  const { origin, voxelSize } = req.grid;
  const projections = req.cameras.map((c) => c.projection);
  const centresX = axisCentres(origin[0], voxelSize, nx);
  const centresY = axisCentres(origin[1], voxelSize, ny);
  const centresZ = axisCentres(origin[2], voxelSize, nz);
  const occ = occupancy ?? req.cameras.map((c) => buildMaskOccupancy(c.mask, c.width, c.height));
  let activeCameras = 0;
  occ.forEach((o, k) => {
    if (o.total > 0) activeCameras |= 1 << k;
  });
  return {
    nx,
    ny,
    nz,
    blocksX: M.ceil(nx / LEAF_SIZE),
    blocksY: M.ceil(ny / LEAF_SIZE),
    blocksZ: M.ceil(nz / LEAF_SIZE),
    cameraCount: req.cameras.length,
    minCameras: req.minCameras,
    maxVoxels: req.maxVoxels,
    widths: Int32Array.from(req.cameras, (c) => c.width),
    heights: Int32Array.from(req.cameras, (c) => c.height),
    masks: req.cameras.map((c) => c.mask),
    occupancy: occ,
    projections,
    centresX,
    centresY,
    centresZ,
    uX: productTable(projections, 0, 0, centresX),
    vX: productTable(projections, 0, 1, centresX),
    wX: productTable(projections, 0, 2, centresX),
    uY: productTable(projections, 1, 0, centresY),
    vY: productTable(projections, 1, 1, centresY),
    wY: productTable(projections, 1, 2, centresY),
    uZ: productTable(projections, 2, 0, centresZ),
    vZ: productTable(projections, 2, 1, centresZ),
    wZ: productTable(projections, 2, 2, centresZ),
    activeCameras,
  };
}

export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
