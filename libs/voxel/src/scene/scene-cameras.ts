import { createCamera, lookAtRotation, type CameraModel } from '../camera/camera-model.js';
import type { Distortion } from '../camera/distortion.js';
import { DEG, type Vec3 } from '../math/mat3.js';
import type { SeededRandom } from '../math/random.js';

export interface RingLayout {
  kind: 'ring';
  /** Distance of the cameras from the look-at point, horizontally, metres. */
  radius: number;
  /** Heights above the look-at point, cycled over the cameras so views are not coplanar. */
  heights: number[];
}

export interface PoseLayout {
  kind: 'poses';
  poses: { position: Vec3; lookAt: Vec3 }[];
}

export interface CameraRigOptions {
  count: number;
  layout: RingLayout | PoseLayout;
  /** Resolutions cycled over the cameras (mixed resolutions in one rig). */
  resolutions: [number, number][];
  fovDegrees: number;
  centre: Vec3;
  /** Random aim error, metres, so no two rigs are perfectly symmetric. */
  aimJitter: number;
  distortion?: Distortion;
}

/** Cameras with f = (W/2)/tan(fov/2) and a centred principal point (the original convention). */
export function createCameraRig(options: CameraRigOptions, rng: SeededRandom): CameraModel[] {
  const cameras: CameraModel[] = [];
  for (let k = 0; k < options.count; k++) {
    const [width, height] = options.resolutions[k % options.resolutions.length]!;
    let position: Vec3;
    let target: Vec3;
    if (options.layout.kind === 'ring') {
      const angle = (2 * Math.PI * k) / options.count + rng.range(-0.1, 0.1);
      const h = options.layout.heights[k % options.layout.heights.length]!;
      position = [
        options.centre[0] + options.layout.radius * Math.cos(angle),
        options.centre[1] + options.layout.radius * Math.sin(angle),
        options.centre[2] + h,
      ];
      target = options.centre.map((c) => c + rng.range(-options.aimJitter, options.aimJitter)) as Vec3;
    } else {
      const pose = options.layout.poses[k % options.layout.poses.length]!;
      position = pose.position;
      target = pose.lookAt;
    }
    const f = width / 2 / Math.tan((options.fovDegrees * DEG) / 2);
    cameras.push(
      createCamera({
        id: `cam${k}`,
        width,
        height,
        intrinsics: { fx: f, fy: f, cx: width / 2, cy: height / 2 },
        ...(options.distortion ? { distortion: options.distortion } : {}),
        position,
        rotation: lookAtRotation(position, target),
      }),
    );
  }
  return cameras;
}
