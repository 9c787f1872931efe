import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';
import { camerasFromMasks, camerasFromPixels } from './evidence-cameras.js';
import { BadInputError, decodeBuffer, encodeBuffer } from './inline-buffer.js';
import { checkOutput, countInput, numberInput } from './input-checks.js';
import type { KernelDescriptor } from './kernel-descriptor.js';

export type VoxelEvidenceCall = { kernel: 'voxel.evidence'; req: EvidenceRequest };
export type VoxelEvidenceKernelResult = { kernel: 'voxel.evidence'; result: EvidenceResult };

/**
 * Per-camera voxel evidence: for each voxel of the grid, the cameras whose motion covers it;
 * the voxels that at least minCameras cameras support, with their camera bit masks.
 */
export const voxelEvidenceKernel: KernelDescriptor<VoxelEvidenceCall, VoxelEvidenceKernelResult> = {
  name: 'voxel.evidence',
  inputs: {
    origin: 'f64 buffer: the grid corner, 3 values',
    dims: 'u32 buffer: voxels along x, y and z',
    voxelSize: 'positive number',
    widths: "u32 buffer: each camera's width (1..32 cameras)",
    heights: "u32 buffer: each camera's height",
    projections: 'f64 buffer: a 3x4 projection matrix per camera',
    masks: "u8 buffer: every camera's motion mask, concatenated (or give pixels)",
    pixels: "u32 buffer: every camera's changed pixels (y * width + x), concatenated",
    pixelCounts: 'u32 buffer: how many of pixels belong to each camera',
    minCameras: 'integer in 1..cameras',
    maxVoxels: 'integer: the most voxels reported',
  },
  decode(given, limits) {
    const max = limits.maxInputBytes;
    const origin = decodeBuffer('origin', given.origin, ['f64'], 24);
    if (origin.length !== 3) throw new BadInputError('origin', 'must have 3 values');
    const dims = decodeBuffer('dims', given.dims, ['u32'], 12);
    if (dims.length !== 3 || dims.some((d) => d < 1))
      throw new BadInputError('dims', 'must be 3 positive integers');
    const voxelSize = numberInput(given, 'voxelSize', (v) => v > 0, 'a positive number');
    const widths = decodeBuffer('widths', given.widths, ['u32'], 32 * 4);
    const heights = decodeBuffer('heights', given.heights, ['u32'], 32 * 4);
    const cams = widths.length;
    if (cams < 1 || cams > 32) throw new BadInputError('widths', 'must list 1..32 cameras');
    if (heights.length !== cams) throw new BadInputError('heights', `must list ${cams} cameras, like widths`);
    const projections = decodeBuffer('projections', given.projections, ['f64'], 32 * 12 * 8);
    if (projections.length !== cams * 12) {
      throw new BadInputError(
        'projections',
        `must hold 12 values per camera (${cams * 12}), has ${projections.length}`,
      );
    }
    const cameras =
      given.pixels === undefined
        ? camerasFromMasks(given, widths, heights, projections, max)
        : camerasFromPixels(given, widths, heights, projections, max);
    const minCameras = countInput(given, 'minCameras', cams);
    if (minCameras < 1) throw new BadInputError('minCameras', `must be in 1..${cams}`);
    const maxVoxels = countInput(given, 'maxVoxels');
    const voxels = dims[0]! * dims[1]! * dims[2]!;
    if (voxels > 2 ** 31) throw new BadInputError('dims', 'the grid has more than 2^31 voxels');
    checkOutput(Math.min(maxVoxels, voxels) * 8, limits);
    return {
      kernel: 'voxel.evidence',
      req: {
        grid: {
          origin: [origin[0]!, origin[1]!, origin[2]!],
          dims: [dims[0]!, dims[1]!, dims[2]!],
          voxelSize,
          axisOrder: 'xyz',
          dtype: 'u32-camera-mask',
          version: 1,
        },
        cameras,
        minCameras,
        maxVoxels,
      },
    };
  },
  run: async (runner, call) => ({ kernel: 'voxel.evidence', result: await runner.voxelEvidence(call.req) }),
  encode: ({ result }) => ({
    indices: encodeBuffer(result.indices),
    masks: encodeBuffer(result.masks),
    truncated: result.truncated,
  }),
  workUnits: ({ req }) => {
    const [nx, ny, nz] = req.grid.dims;
    return Math.max(1, nx * ny * nz * req.cameras.length);
  },
  inputBytes: ({ req }) =>
    // A pixel-list camera's mask is not built unless the CPU path reads it: count what travels.
    req.cameras.reduce((s, c) => s + (c.pixels ? c.pixels.byteLength : c.mask.byteLength) + 96, 0) +
    Math.min(req.maxVoxels, req.grid.dims[0] * req.grid.dims[1] * req.grid.dims[2]) * 8,
  buffers: ({ req }) =>
    req.cameras.flatMap((c) => (c.pixels ? [c.projection, c.mask, c.pixels] : [c.projection, c.mask])),
};
