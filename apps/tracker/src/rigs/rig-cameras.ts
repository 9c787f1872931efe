import type { StoredRigCamera } from '@voxelfleet/persistence';
import { DomainError } from '@voxelfleet/platform';
import {
  createCamera,
  matrixToQuaternion,
  parseOriginalMetadata,
  quaternionToMatrix,
  rigFromOriginalMetadata,
  type CameraModel,
  type CameraSpec,
  type Mat3,
} from '@voxelfleet/voxel';
import type { CameraDto } from './rig.dto.js';

/**
 * Cameras as a request states them → validated camera models. Anything the camera model
 * refuses (no rotation, both rotations, a matrix that is not a rotation, ...) is a 400 that
 * names the camera.
 */
export function camerasFromDto(cameras: CameraDto[]): CameraModel[] {
  const ids = new Set<string>();
  return cameras.map((dto, index) => {
    if (ids.has(dto.id)) throw badCamera(index, `duplicate camera id '${dto.id}'`);
    ids.add(dto.id);
    const spec: CameraSpec = {
      id: dto.id,
      width: dto.width,
      height: dto.height,
      intrinsics: { ...dto.intrinsics },
      distortion: { ...dto.distortion },
      position: [dto.position[0]!, dto.position[1]!, dto.position[2]!],
      ...(dto.quaternion ? { quaternion: normalisedQuaternion(dto.quaternion, index) } : {}),
      ...(dto.rotation ? { rotation: dto.rotation as unknown as Mat3 } : {}),
    };
    try {
      return createCamera(spec);
    } catch (error) {
      if (error instanceof RangeError || error instanceof TypeError) throw badCamera(index, error.message);
      throw error;
    }
  });
}

function normalisedQuaternion(q: number[], index: number): [number, number, number, number] {
  const norm = Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!);
  // A quaternion off unit length by more than rounding is a client bug, not a pose.
  if (!(Math.abs(norm - 1) < 1e-3)) throw badCamera(index, 'quaternion must have unit length');
  return [q[0]! / norm, q[1]! / norm, q[2]! / norm, q[3]! / norm];
}

function badCamera(index: number, reason: string): DomainError {
  return new DomainError(400, 'bad_request', `cameras[${index}]: ${reason}`);
}

/** Cameras of the original metadata.json convention; every camera gets `width` x `height`. */
export function camerasFromOriginalMetadata(document: unknown, width: number, height: number): CameraModel[] {
  try {
    const entries = parseOriginalMetadata(document);
    const cameras = rigFromOriginalMetadata(entries, () => [width, height]);
    if (cameras.length > 32)
      throw new RangeError(`metadata has ${cameras.length} cameras, at most 32 are supported`);
    return cameras;
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new DomainError(400, 'bad_request', `metadata: ${error.message}`);
    }
    throw error;
  }
}

export function storedCamera(camera: CameraModel): StoredRigCamera {
  return {
    id: camera.id,
    width: camera.width,
    height: camera.height,
    intrinsics: { ...camera.intrinsics },
    distortion: { ...camera.distortion },
    position: [...camera.position],
    quaternion: matrixToQuaternion(camera.rotation),
  };
}

export function cameraFromStored(stored: StoredRigCamera): CameraModel {
  return createCamera({
    id: stored.id,
    width: stored.width,
    height: stored.height,
    intrinsics: stored.intrinsics,
    distortion: stored.distortion,
    position: stored.position,
    rotation: quaternionToMatrix(stored.quaternion),
  });
}
