import {
  assertRotation,
  cross3,
  mat3MulVec,
  mat3Transpose,
  normalize3,
  quaternionToMatrix,
  sub3,
  type Mat3,
  type Vec3,
} from '../math/mat3.js';
import { distortNormalized, undistortNormalized, type Distortion } from './distortion.js';

export interface Intrinsics {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

/**
 * A calibrated camera. Camera axes follow the computer-vision convention (x right, y down,
 * z forward); `rotation` maps world vectors into that frame: x_cam = R · (X - position).
 * Pixel coordinates are continuous: pixel (i, j) covers [i, i+1) × [j, j+1).
 */
export interface CameraModel {
  id: string;
  width: number;
  height: number;
  intrinsics: Intrinsics;
  distortion: Distortion;
  position: Vec3;
  rotation: Mat3;
}

export interface CameraSpec {
  id: string;
  width: number;
  height: number;
  intrinsics: Intrinsics;
  distortion?: Partial<Distortion>;
  position: Vec3;
  /** World-to-camera rotation as a unit quaternion [w, x, y, z] ... */
  quaternion?: [number, number, number, number];
  /** ... or as a row-major rotation matrix; exactly one of the two. */
  rotation?: Mat3;
}

export function createCamera(spec: CameraSpec): CameraModel {
  if (!Number.isInteger(spec.width) || !Number.isInteger(spec.height) || spec.width < 1 || spec.height < 1) {
    throw new RangeError(`camera ${spec.id}: resolution must be positive integers`);
  }
  const { fx, fy, cx, cy } = spec.intrinsics;
  if (!(fx > 0 && fy > 0) || !Number.isFinite(cx) || !Number.isFinite(cy)) {
    throw new RangeError(`camera ${spec.id}: focal lengths must be positive and the principal point finite`);
  }
  if ((spec.quaternion === undefined) === (spec.rotation === undefined)) {
    throw new RangeError(`camera ${spec.id}: give exactly one of quaternion or rotation`);
  }
  const rotation = spec.quaternion ? quaternionToMatrix(spec.quaternion) : spec.rotation!;
  assertRotation(rotation);
  return {
    id: spec.id,
    width: spec.width,
    height: spec.height,
    intrinsics: { fx, fy, cx, cy },
    distortion: { k1: 0, k2: 0, p1: 0, p2: 0, ...spec.distortion },
    position: [...spec.position],
    rotation: [...rotation],
  };
}

export function hasDistortion(camera: CameraModel): boolean {
  const d = camera.distortion;
  return d.k1 !== 0 || d.k2 !== 0 || d.p1 !== 0 || d.p2 !== 0;
}

export function worldToCamera(camera: CameraModel, point: Vec3): Vec3 {
  return mat3MulVec(camera.rotation, sub3(point, camera.position));
}

/** Projects a world point to (distorted) pixel coordinates; null when it is not in front of the camera. */
export function projectPoint(camera: CameraModel, point: Vec3): [number, number] | null {
  const pc = worldToCamera(camera, point);
  if (pc[2] <= 0) return null;
  const [xd, yd] = distortNormalized(camera.distortion, pc[0] / pc[2], pc[1] / pc[2]);
  const { fx, fy, cx, cy } = camera.intrinsics;
  return [fx * xd + cx, fy * yd + cy];
}

/** Unit world direction of the ray through a (distorted) pixel position. */
export function pixelToRay(camera: CameraModel, u: number, v: number): Vec3 {
  const { fx, fy, cx, cy } = camera.intrinsics;
  const [x, y] = undistortNormalized(camera.distortion, (u - cx) / fx, (v - cy) / fy);
  return normalize3(mat3MulVec(mat3Transpose(camera.rotation), [x, y, 1]));
}

/**
 * The 3x4 row-major matrix K · [R | -R·C] of the ideal (undistorted) pinhole camera, the
 * form the evidence kernel consumes.
 */
export function projectionMatrix(camera: CameraModel): Float64Array {
  const { fx, fy, cx, cy } = camera.intrinsics;
  const r = camera.rotation;
  const t = mat3MulVec(r, camera.position);
  const rt = [r[0], r[1], r[2], -t[0], r[3], r[4], r[5], -t[1], r[6], r[7], r[8], -t[2]];
  const k = [fx, 0, cx, 0, fy, cy, 0, 0, 1];
  const p = new Float64Array(12);
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 4; col++) {
      p[row * 4 + col] =
        k[row * 3]! * rt[col]! + k[row * 3 + 1]! * rt[4 + col]! + k[row * 3 + 2]! * rt[8 + col]!;
    }
  }
  return p;
}

/** World-to-camera rotation of a camera at `position` looking at `target`, image up along `up`. */
export function lookAtRotation(position: Vec3, target: Vec3, up: Vec3 = [0, 0, 1]): Mat3 {
  const forward = normalize3(sub3(target, position));
  const right = normalize3(cross3(forward, up));
  const down = cross3(forward, right);
  return [...right, ...down, ...forward];
}
