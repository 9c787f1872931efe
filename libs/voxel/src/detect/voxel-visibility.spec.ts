import { describe, expect, it } from '@jest/globals';
import { createCamera, lookAtRotation } from '../camera/camera-model.js';
import { createGridDescriptor } from '../grid/grid-descriptor.js';
import { detectObjects } from './detect-objects.js';
import { countVisibleCameras, requiredSupportPerVoxel } from './voxel-visibility.js';

// A 10 x 1 x 1 row of voxels along x from 0 to 1 m.
const grid = createGridDescriptor([0, 0, 0], [10, 1, 1], 0.1);

function cameraLookingAt(x: number, width: number) {
  const position: [number, number, number] = [x, -5, 0.05];
  return createCamera({
    id: `c${x}`,
    width,
    height: 100,
    intrinsics: { fx: 500, fy: 500, cx: width / 2, cy: 50 },
    position,
    rotation: lookAtRotation(position, [x, 0, 0.05]),
  });
}

describe('voxel visibility', () => {
  it('counts the cameras that have each voxel centre inside their image', () => {
    // Sees the whole row (1 m at 5 m fills 100 px of 200) ...
    const wide = cameraLookingAt(0.5, 200);
    // ... sees only x < 0.5 m (its 100 px image spans x in [-0.5, 0.5)) ...
    const left = cameraLookingAt(0, 100);
    const counts = countVisibleCameras([wide, left], grid);
    expect(Array.from(counts)).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1]);
  });

  it('holds a voxel to minCameras of the cameras that can see it, never below the floor', () => {
    const visible = Uint8Array.from([8, 7, 6, 3, 1]);
    const required = requiredSupportPerVoxel(visible, 8, 7, 3);
    expect(Array.from(required!)).toEqual([7, 6, 5, 3, 3]);
    // In every camera's view everywhere: the uniform threshold applies.
    expect(requiredSupportPerVoxel(Uint8Array.from([8, 8]), 8, 7, 3)).toBeNull();
  });

  it('detects with the per-voxel requirement instead of the uniform one', () => {
    // Two 2-voxel blobs, each voxel supported by cameras 0..2; the right half of the row needs 4.
    const evidence = {
      indices: Uint32Array.from([0, 1, 5, 6]),
      masks: Uint32Array.from([7, 7, 7, 7]),
      truncated: false,
    };
    const requiredSupport = Uint8Array.from([3, 3, 3, 3, 3, 4, 4, 4, 4, 4]);
    const uniform = detectObjects(evidence, grid, { cameraCount: 4, minVoxels: 2, minSupport: 3 });
    const perVoxel = detectObjects(evidence, grid, {
      cameraCount: 4,
      minVoxels: 2,
      minSupport: 3,
      requiredSupport,
    });
    expect(uniform).toHaveLength(2);
    expect(perVoxel).toHaveLength(1);
    expect(perVoxel[0]!.position[0]).toBeCloseTo(0.1, 6);
  });
});
