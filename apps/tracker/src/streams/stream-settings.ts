import type { StoredStreamParameters } from '@voxelfleet/persistence';
import { DomainError } from '@voxelfleet/platform';
import {
  createGridDescriptor,
  defaultMinCameras,
  voxelCount,
  type VoxelGridDescriptor,
} from '@voxelfleet/voxel';
import type { GridDto, StreamParametersDto } from './stream.dto.js';

/** Largest grid a stream may ask for: its per-window evidence is bounded by this. */
export const MAX_STREAM_VOXELS = 256 ** 3;

export function gridFromDto(dto: GridDto): VoxelGridDescriptor {
  let grid: VoxelGridDescriptor;
  try {
    grid = createGridDescriptor(
      [dto.origin[0]!, dto.origin[1]!, dto.origin[2]!],
      [dto.dims[0]!, dto.dims[1]!, dto.dims[2]!],
      dto.voxelSize,
    );
  } catch (error) {
    if (error instanceof RangeError) throw new DomainError(400, 'bad_request', `grid: ${error.message}`);
    throw error;
  }
  if (voxelCount(grid) > MAX_STREAM_VOXELS) {
    throw new DomainError(400, 'bad_request', `grid: at most ${MAX_STREAM_VOXELS} voxels (256³) per stream`);
  }
  return grid;
}

/** Parameters with defaults filled in, checked against the rig's camera count. */
export function streamParameters(
  dto: StreamParametersDto | undefined,
  cameraCount: number,
  base?: StoredStreamParameters,
): StoredStreamParameters {
  const params: StoredStreamParameters = {
    motionThreshold: dto?.motionThreshold ?? base?.motionThreshold ?? 4,
    windowFrames: dto?.windowFrames ?? base?.windowFrames ?? 1,
    minCameras: dto?.minCameras ?? base?.minCameras ?? defaultMinCameras(cameraCount),
    confirmHits: dto?.confirmHits ?? base?.confirmHits ?? 3,
    confirmWindow: dto?.confirmWindow ?? base?.confirmWindow ?? 5,
    fps: dto?.fps ?? base?.fps ?? 20,
  };
  if (params.minCameras > cameraCount) {
    throw new DomainError(
      400,
      'bad_request',
      `parameters.minCameras: ${params.minCameras} exceeds the rig's ${cameraCount} cameras`,
    );
  }
  if (params.confirmHits > params.confirmWindow) {
    throw new DomainError(400, 'bad_request', 'parameters.confirmHits: must not exceed confirmWindow');
  }
  return params;
}
