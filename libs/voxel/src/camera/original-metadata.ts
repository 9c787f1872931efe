import {
  DEG,
  mat3Mul,
  mat3Transpose,
  rotationX,
  rotationY,
  rotationZ,
  type Mat3,
  type Vec3,
} from '../math/mat3.js';
import { createCamera, hasDistortion, type CameraModel } from './camera-model.js';

/** One entry of the original pixel-to-voxel projector's metadata.json (one per camera per frame). */
export interface OriginalFrameMetadata {
  camera_index: number;
  frame_index: number;
  camera_position: Vec3;
  yaw: number;
  pitch: number;
  roll: number;
  fov_degrees: number;
  image_file: string;
}

/**
 * The original convention's camera frame has x right, y up and looks down -Z; ours has y down
 * and looks down +Z. D flips between them (its own inverse).
 */
const FLIP_YZ: Mat3 = [1, 0, 0, 0, -1, 0, 0, 0, -1];

/** Camera-to-world rotation of the original convention: Rz(yaw) · Ry(roll) · Rx(pitch), degrees. */
export function originalCameraToWorld(yaw: number, pitch: number, roll: number): Mat3 {
  return mat3Mul(mat3Mul(rotationZ(yaw * DEG), rotationY(roll * DEG)), rotationX(pitch * DEG));
}

/**
 * Converts one metadata entry to a camera. The original has its principal point at the image
 * centre and f = (W/2) / tan(fov/2) for both axes; a pixel's ray is
 * M · ((u - W/2)/f, -(v - H/2)/f, -1) with M the matrix above, which equals our
 * Rᵀ · ((u - cx)/f, (v - cy)/f, 1) when R = D · Mᵀ.
 */
export function cameraFromOriginal(entry: OriginalFrameMetadata, width: number, height: number): CameraModel {
  const f = width / 2 / Math.tan((entry.fov_degrees * DEG) / 2);
  const worldFromCamera = originalCameraToWorld(entry.yaw, entry.pitch, entry.roll);
  return createCamera({
    id: String(entry.camera_index),
    width,
    height,
    intrinsics: { fx: f, fy: f, cx: width / 2, cy: height / 2 },
    position: [...entry.camera_position],
    rotation: mat3Mul(FLIP_YZ, mat3Transpose(worldFromCamera)),
  });
}

/** Inverse of cameraFromOriginal, for cameras the original convention can express. */
export function cameraToOriginal(
  camera: CameraModel,
  frameIndex: number,
  cameraIndex: number,
  imageFile: string,
): OriginalFrameMetadata {
  const { fx, fy, cx, cy } = camera.intrinsics;
  const tolerance = 1e-9 * Math.max(1, fx);
  if (
    Math.abs(fx - fy) > tolerance ||
    Math.abs(cx - camera.width / 2) > 1e-9 ||
    Math.abs(cy - camera.height / 2) > 1e-9 ||
    hasDistortion(camera)
  ) {
    throw new RangeError(
      `camera ${camera.id}: the original convention needs fx = fy, a centred principal point and no distortion`,
    );
  }
  // M = Rᵀ · D, then decompose M = Rz(yaw) · Ry(roll) · Rx(pitch).
  const m = mat3Mul(mat3Transpose(camera.rotation), FLIP_YZ);
  const sinRoll = Math.max(-1, Math.min(1, -m[6]));
  const roll = Math.asin(sinRoll);
  let yaw: number;
  let pitch: number;
  if (Math.abs(sinRoll) < 1 - 1e-12) {
    pitch = Math.atan2(m[7], m[8]);
    yaw = Math.atan2(m[3], m[0]);
  } else {
    // Gimbal lock: only yaw ∓ pitch is defined; put it all in yaw.
    pitch = 0;
    yaw = Math.atan2(-m[1], m[4]);
  }
  return {
    camera_index: cameraIndex,
    frame_index: frameIndex,
    camera_position: [...camera.position],
    yaw: yaw / DEG,
    pitch: pitch / DEG,
    roll: roll / DEG,
    fov_degrees: (2 * Math.atan(camera.width / 2 / fx)) / DEG,
    image_file: imageFile,
  };
}

function finiteNumber(value: unknown, field: string, at: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`metadata entry ${at}: ${field} must be a finite number`);
  }
  return value;
}

/** Validates a parsed metadata.json document (an array of entries). */
export function parseOriginalMetadata(document: unknown): OriginalFrameMetadata[] {
  if (!Array.isArray(document)) throw new TypeError('metadata.json must be an array of entries');
  return document.map((raw: unknown, at): OriginalFrameMetadata => {
    if (typeof raw !== 'object' || raw === null) throw new TypeError(`metadata entry ${at} is not an object`);
    const e = raw as Record<string, unknown>;
    const position = e['camera_position'];
    if (!Array.isArray(position) || position.length !== 3) {
      throw new TypeError(`metadata entry ${at}: camera_position must be [x, y, z]`);
    }
    const fov = finiteNumber(e['fov_degrees'], 'fov_degrees', at);
    if (!(fov > 0 && fov < 180))
      throw new RangeError(`metadata entry ${at}: fov_degrees must be in (0, 180)`);
    if (typeof e['image_file'] !== 'string')
      throw new TypeError(`metadata entry ${at}: image_file must be a string`);
    const cameraIndex = finiteNumber(e['camera_index'], 'camera_index', at);
    const frameIndex = finiteNumber(e['frame_index'], 'frame_index', at);
    if (
      !Number.isInteger(cameraIndex) ||
      !Number.isInteger(frameIndex) ||
      cameraIndex < 0 ||
      frameIndex < 0
    ) {
      throw new RangeError(
        `metadata entry ${at}: camera_index and frame_index must be non-negative integers`,
      );
    }
    return {
      camera_index: cameraIndex,
      frame_index: frameIndex,
      camera_position: [
        finiteNumber(position[0], 'camera_position[0]', at),
        finiteNumber(position[1], 'camera_position[1]', at),
        finiteNumber(position[2], 'camera_position[2]', at),
      ],
      yaw: finiteNumber(e['yaw'], 'yaw', at),
      pitch: finiteNumber(e['pitch'], 'pitch', at),
      roll: finiteNumber(e['roll'], 'roll', at),
      fov_degrees: fov,
      image_file: e['image_file'],
    };
  });
}
