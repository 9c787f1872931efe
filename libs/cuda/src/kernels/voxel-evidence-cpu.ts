/**
 * voxel.evidence on the CPU, following libs/contracts/src/voxel-evidence.ts to the bit:
 * float64, left to right, no fused multiply-add (JavaScript never fuses).
 */
import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';

import { InvalidArgumentError } from '../errors.js';

/** Checks a request; `checkPixels: false` leaves the pixel lists to a caller that checks them as it reads them. */
export function validateEvidence(req: EvidenceRequest, { checkPixels = true } = {}): number {
  const [nx, ny, nz] = req.grid.dims;
  const voxels = nx * ny * nz;
  if (![nx, ny, nz].every((d) => Number.isInteger(d) && d > 0))
    throw new InvalidArgumentError('voxel.evidence: dims');
  if (voxels > 2 ** 32) throw new InvalidArgumentError('voxel.evidence: more than 2^32 voxels');
  if (req.grid.axisOrder !== 'xyz') throw new InvalidArgumentError("voxel.evidence: only 'xyz' axis order");
  if (req.cameras.length < 1 || req.cameras.length > 32)
    throw new InvalidArgumentError('voxel.evidence: 1..32 cameras');
  if (req.minCameras < 1 || req.minCameras > req.cameras.length) {
    throw new InvalidArgumentError('voxel.evidence: minCameras out of range');
  }
  for (const c of req.cameras) {
    if (c.projection.length !== 12) throw new InvalidArgumentError('voxel.evidence: projection is 3x4');
    if (c.mask.length !== c.width * c.height) throw new InvalidArgumentError('voxel.evidence: mask size');
    if (c.pixels && checkPixels) {
      const pixels = c.pixels;
      for (let i = 0; i < pixels.length; i++) {
        if (pixels[i]! >= c.mask.length)
          throw new InvalidArgumentError('voxel.evidence: pixel index outside the frame');
      }
    }
  }
  return voxels;
}

function popcount(m: number): number {
  m -= (m >>> 1) & 0x55555555;
  m = (m & 0x33333333) + ((m >>> 2) & 0x33333333);
  return (((m + (m >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function voxelEvidenceCpu(req: EvidenceRequest): EvidenceResult {
  validateEvidence(req);
  const [nx, ny, nz] = req.grid.dims;
  const [ox, oy, oz] = req.grid.origin;
  const vs = req.grid.voxelSize;
  const cams = req.cameras;
  const idx: number[] = [];
  const masks: number[] = [];
  let qualified = 0;
  for (let iz = 0; iz < nz; iz++) {
    const Z = oz + (iz + 0.5) * vs;
    for (let iy = 0; iy < ny; iy++) {
      const Y = oy + (iy + 0.5) * vs;
      for (let ix = 0; ix < nx; ix++) {
        const X = ox + (ix + 0.5) * vs;
        let bits = 0;
        for (let c = 0; c < cams.length; c++) {
          const cam = cams[c]!;
          const P = cam.projection;
          const w = P[8]! * X + P[9]! * Y + P[10]! * Z + P[11]!;
          if (!(w > 0)) continue;
          const u = P[0]! * X + P[1]! * Y + P[2]! * Z + P[3]!;
          const v = P[4]! * X + P[5]! * Y + P[6]! * Z + P[7]!;
          const px = Math.floor(u / w);
          const py = Math.floor(v / w);
          if (
            px >= 0 &&
            px < cam.width &&
            py >= 0 &&
            py < cam.height &&
            cam.mask[py * cam.width + px] !== 0
          ) {
            bits |= 1 << c;
          }
        }
        if (bits !== 0 && popcount(bits) >= req.minCameras) {
          if (qualified < req.maxVoxels) {
            idx.push(ix + nx * (iy + ny * iz));
            masks.push(bits >>> 0);
          }
          qualified++;
        }
      }
    }
  }
  return {
    indices: Uint32Array.from(idx),
    masks: Uint32Array.from(masks),
    truncated: qualified > req.maxVoxels,
  };
}
