import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../math/random.js';
import { matrixToQuaternion, mat3MulVec, type Vec3 } from '../math/mat3.js';
import {
  createCamera,
  lookAtRotation,
  pixelToRay,
  projectionMatrix,
  projectPoint,
  worldToCamera,
} from './camera-model.js';
import { createUndistortMap, undistortMask } from './undistort-map.js';

const distorted = createCamera({
  id: 'd',
  width: 640,
  height: 480,
  intrinsics: { fx: 500, fy: 510, cx: 318.5, cy: 241.25 },
  distortion: { k1: -0.21, k2: 0.05, p1: 0.001, p2: -0.0007 },
  position: [3, -4, 2],
  rotation: lookAtRotation([3, -4, 2], [0, 0, 0.5]),
});

describe('camera model', () => {
  it('round-trips world point → distorted pixel → ray through the point', () => {
    const rng = new SeededRandom(7);
    for (let i = 0; i < 500; i++) {
      const point: Vec3 = [rng.range(-1, 1), rng.range(-1, 1), rng.range(0, 1)];
      const pixel = projectPoint(distorted, point);
      expect(pixel).not.toBeNull();
      const ray = pixelToRay(distorted, pixel![0], pixel![1]);
      const toPoint = worldToCamera(distorted, point);
      const depth = Math.hypot(...toPoint);
      const reached: Vec3 = [0, 1, 2].map((a) => distorted.position[a]! + ray[a]! * depth) as Vec3;
      for (let a = 0; a < 3; a++) expect(reached[a]).toBeCloseTo(point[a]!, 9);
    }
  });

  it('agrees with its projection matrix when there is no distortion', () => {
    const cam = createCamera({
      ...distorted,
      distortion: {},
      quaternion: matrixToQuaternion(distorted.rotation),
      rotation: undefined,
    });
    const p = projectionMatrix(cam);
    const point: Vec3 = [0.3, -0.2, 0.9];
    const [u, v] = projectPoint(cam, point)!;
    const w = p[8]! * point[0] + p[9]! * point[1] + p[10]! * point[2] + p[11]!;
    expect((p[0]! * point[0] + p[1]! * point[1] + p[2]! * point[2] + p[3]!) / w).toBeCloseTo(u, 9);
    expect((p[4]! * point[0] + p[5]! * point[1] + p[6]! * point[2] + p[7]!) / w).toBeCloseTo(v, 9);
  });

  it('treats a quaternion and its matrix as the same pose', () => {
    const q = matrixToQuaternion(distorted.rotation);
    const cam = createCamera({ ...distorted, rotation: undefined, quaternion: q });
    const v: Vec3 = [0.1, 0.7, -0.4];
    const a = mat3MulVec(cam.rotation, v);
    const b = mat3MulVec(distorted.rotation, v);
    for (let i = 0; i < 3; i++) expect(a[i]).toBeCloseTo(b[i]!, 12);
  });

  it('rejects non-rotations, bad resolutions and ambiguous poses', () => {
    const base = {
      id: 'x',
      width: 10,
      height: 10,
      intrinsics: { fx: 1, fy: 1, cx: 5, cy: 5 },
      position: [0, 0, 0] as Vec3,
    };
    expect(() => createCamera({ ...base, rotation: [2, 0, 0, 0, 1, 0, 0, 0, 1] })).toThrow(/orthonormal/);
    expect(() => createCamera({ ...base, rotation: [-1, 0, 0, 0, 1, 0, 0, 0, 1] })).toThrow(/reflection/);
    expect(() => createCamera({ ...base, width: 0, quaternion: [1, 0, 0, 0] })).toThrow(/resolution/);
    expect(() => createCamera({ ...base })).toThrow(/exactly one/);
  });

  it('undistorts a mask so a point lands where the ideal pinhole projects it', () => {
    const map = createUndistortMap(distorted);
    // a point seen near the image corner, where the lens distortion is strongest
    const ray = pixelToRay(distorted, 60.5, 50.5);
    const point: Vec3 = [0, 1, 2].map((a) => distorted.position[a]! + 5 * ray[a]!) as Vec3;
    const [u, v] = projectPoint(distorted, point)!;
    const sensor = new Uint8Array(640 * 480);
    for (let y = Math.floor(v) - 2; y <= Math.floor(v) + 2; y++) {
      for (let x = Math.floor(u) - 2; x <= Math.floor(u) + 2; x++) sensor[y * 640 + x] = 1;
    }
    const ideal = undistortMask(map, sensor);
    const p = projectionMatrix(distorted);
    const w = p[8]! * point[0] + p[9]! * point[1] + p[10]! * point[2] + p[11]!;
    const iu = Math.floor((p[0]! * point[0] + p[1]! * point[1] + p[2]! * point[2] + p[3]!) / w);
    const iv = Math.floor((p[4]! * point[0] + p[5]! * point[1] + p[6]! * point[2] + p[7]!) / w);
    expect(Math.hypot(iu - u, iv - v)).toBeGreaterThan(3); // distortion moves it visibly
    expect(ideal[iv * 640 + iu]).toBe(1);
  });
});
