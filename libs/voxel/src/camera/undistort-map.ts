import { distortNormalized } from './distortion.js';
import type { CameraModel } from './camera-model.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/**
 * For every pixel of the ideal pinhole image (same K as the camera, no distortion), the index
 * of the sensor pixel its centre falls on, or -1 when outside the sensor. Built once per
 * camera; applying it to a mask is then a gather.
 */
export function createUndistortMap(camera: CameraModel): Int32Array {
  const { width, height } = camera;
  const { fx, fy, cx, cy } = camera.intrinsics;
  const map = new Int32Array(width * height);
  for (let j = 0; j < height; j++) {
    const y = (j + 0.5 - cy) / fy;
    for (let i = 0; i < width; i++) {
      const [xd, yd] = distortNormalized(camera.distortion, (i + 0.5 - cx) / fx, y);
      const su = M.floor(fx * xd + cx);
      const sv = M.floor(fy * yd + cy);
      map[j * width + i] = su >= 0 && su < width && sv >= 0 && sv < height ? sv * width + su : -1;
    }
  }
  return map;
}

/** Resamples a sensor-space mask into the ideal pinhole image the evidence kernel expects. */
export function undistortMask(map: Int32Array, sensorMask: Uint8Array, out?: Uint8Array): Uint8Array {
  const ideal = out ?? new Uint8Array(map.length);
  for (let i = 0; i < map.length; i++) {
    const src = map[i]!;
    ideal[i] = src >= 0 ? sensorMask[src]! : 0;
  }
  return ideal;
}
