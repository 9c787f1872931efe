import { describe, expect, it } from '@jest/globals';
import { DEG, mat3MulVec, type Vec3 } from '../math/mat3.js';
import { SeededRandom } from '../math/random.js';
import { lookAtRotation, pixelToRay, projectPoint, createCamera } from './camera-model.js';
import {
  cameraFromOriginal,
  cameraToOriginal,
  originalCameraToWorld,
  parseOriginalMetadata,
  type OriginalFrameMetadata,
} from './original-metadata.js';

/** The original convention written out independently: ray_cam = ((u-W/2)/f, -(v-H/2)/f, -1). */
function originalRay(e: OriginalFrameMetadata, width: number, height: number, u: number, v: number): Vec3 {
  const f = width / 2 / Math.tan((e.fov_degrees * DEG) / 2);
  return mat3MulVec(originalCameraToWorld(e.yaw, e.pitch, e.roll), [
    (u - width / 2) / f,
    -(v - height / 2) / f,
    -1,
  ]);
}

const entry: OriginalFrameMetadata = {
  camera_index: 2,
  frame_index: 0,
  camera_position: [10, -5, 3],
  yaw: 35,
  pitch: 70,
  roll: -8,
  fov_degrees: 60,
  image_file: 'cam2/frame_0000.png',
};

describe('original metadata.json conversion', () => {
  it('maps identity angles to a camera looking down -Z with image up along +Y', () => {
    const cam = cameraFromOriginal(
      { ...entry, yaw: 0, pitch: 0, roll: 0, camera_position: [0, 0, 10] },
      200,
      100,
    );
    expect(projectPoint(cam, [0, 0, 0])).toEqual([100, 50]);
    const [, vUp] = projectPoint(cam, [0, 1, 0])!;
    expect(vUp).toBeLessThan(50); // world +Y is image up
    expect(cam.intrinsics.fx).toBeCloseTo(100 / Math.tan(30 * DEG), 12);
  });

  it('projects known points both ways exactly as the original convention', () => {
    const cam = cameraFromOriginal(entry, 1280, 720);
    const rng = new SeededRandom(3);
    for (let i = 0; i < 200; i++) {
      const u = rng.range(0, 1280);
      const v = rng.range(0, 720);
      const ours = pixelToRay(cam, u, v);
      const theirs = originalRay(entry, 1280, 720, u, v);
      const n = Math.hypot(...theirs);
      for (let a = 0; a < 3; a++) expect(ours[a]).toBeCloseTo(theirs[a]! / n, 12);
      // and the point 7 m down that ray projects back onto (u, v)
      const point: Vec3 = [0, 1, 2].map((a) => entry.camera_position[a]! + (7 * theirs[a]!) / n) as Vec3;
      const [pu, pv] = projectPoint(cam, point)!;
      expect(pu).toBeCloseTo(u, 8);
      expect(pv).toBeCloseTo(v, 8);
    }
  });

  it('converts our cameras back to yaw/pitch/roll that reproduce them', () => {
    const rng = new SeededRandom(11);
    for (let i = 0; i < 50; i++) {
      const position: Vec3 = [rng.range(-20, 20), rng.range(-20, 20), rng.range(1, 10)];
      const cam = createCamera({
        id: 'c',
        width: 640,
        height: 360,
        intrinsics: { fx: 400, fy: 400, cx: 320, cy: 180 },
        position,
        rotation: lookAtRotation(position, [rng.range(-2, 2), rng.range(-2, 2), rng.range(0, 2)]),
      });
      const back = cameraFromOriginal(cameraToOriginal(cam, 0, 0, 'x.png'), 640, 360);
      for (let k = 0; k < 9; k++) expect(back.rotation[k]).toBeCloseTo(cam.rotation[k]!, 10);
      expect(back.intrinsics.fx).toBeCloseTo(400, 9);
    }
  });

  it('refuses cameras the original convention cannot express', () => {
    const cam = createCamera({
      id: 'c',
      width: 64,
      height: 48,
      intrinsics: { fx: 50, fy: 55, cx: 32, cy: 24 },
      position: [0, 0, 0],
      quaternion: [1, 0, 0, 0],
    });
    expect(() => cameraToOriginal(cam, 0, 0, 'a')).toThrow(/fx = fy/);
  });

  it('validates entries with the field at fault', () => {
    expect(parseOriginalMetadata([entry])).toEqual([entry]);
    expect(() => parseOriginalMetadata({})).toThrow(/array/);
    expect(() => parseOriginalMetadata([{ ...entry, yaw: 'x' }])).toThrow(/yaw/);
    expect(() => parseOriginalMetadata([{ ...entry, fov_degrees: 190 }])).toThrow(/fov_degrees/);
    expect(() => parseOriginalMetadata([{ ...entry, camera_position: [1, 2] }])).toThrow(/camera_position/);
  });
});
