import { describe, expect, it } from '@jest/globals';
import { frustumCorners, gridBounds, opticalAxis, quaternionMatrix, type RigCamera } from './frustum.js';

const identity: RigCamera = {
  id: 'c0',
  width: 640,
  height: 480,
  intrinsics: { fx: 320, fy: 320, cx: 320, cy: 240 },
  position: [1, 2, 3],
  quaternion: [1, 0, 0, 0],
};

describe('frustum', () => {
  it('puts the corners of an axis-aligned camera where the pinhole model says', () => {
    const [tl, tr, br, bl] = frustumCorners(identity, 2);
    expect(tl).toEqual([1 - 2, 2 - 1.5, 5]);
    expect(tr).toEqual([1 + 2, 2 - 1.5, 5]);
    expect(br).toEqual([1 + 2, 2 + 1.5, 5]);
    expect(bl).toEqual([1 - 2, 2 + 1.5, 5]);
    expect(opticalAxis(identity)).toEqual([0, 0, 1]);
  });

  it('rotates with the world-to-camera quaternion (transpose to go back to the world)', () => {
    // A world-to-camera rotation of -90° about x: the camera looks along a horizontal axis.
    const half = Math.SQRT1_2;
    const camera = { ...identity, position: [0, 0, 0], quaternion: [half, -half, 0, 0] };
    const r = quaternionMatrix(camera.quaternion);
    // The camera's forward axis in the world is R's third row.
    const forward = opticalAxis(camera);
    expect(forward.map((v) => Math.round(v * 1e9) / 1e9)).toEqual(
      [r[6], r[7], r[8]].map((v) => Math.round(v! * 1e9) / 1e9),
    );
    // A point straight ahead at depth d projects to the principal point: R · p = (0, 0, d).
    const centre = frustumCorners({ ...camera, width: 2 * 320, height: 2 * 240 }, 3);
    const mid = [0, 1, 2].map((axis) => (centre[0][axis]! + centre[2][axis]!) / 2);
    const inCamera = [0, 1, 2].map(
      (row) => r[row * 3]! * mid[0]! + r[row * 3 + 1]! * mid[1]! + r[row * 3 + 2]! * mid[2]!,
    );
    expect(inCamera[0]).toBeCloseTo(0, 9);
    expect(inCamera[1]).toBeCloseTo(0, 9);
    expect(inCamera[2]).toBeCloseTo(3, 9);
  });

  it('computes grid bounds from origin, dims and voxel size', () => {
    expect(gridBounds({ origin: [-1, -2, 0], dims: [10, 20, 5], voxelSize: 0.5 })).toEqual([
      [-1, -2, 0],
      [4, 8, 2.5],
    ]);
  });
});
