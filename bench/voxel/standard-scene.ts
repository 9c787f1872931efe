import type { SceneOptions } from '@voxelfleet/voxel';

/** The benchmark's standard scene: 8 cameras 1280x720, 10 targets, 256³ grid, noise sigma 2. */
export const STANDARD_SCENE: Partial<SceneOptions> = {
  seed: 42,
  targets: 10,
  frames: 30,
  fps: 20,
  gridDims: [256, 256, 256],
  voxelSize: 0.05,
  targetRadius: 0.25,
  speed: 1.5,
  noiseSigma: 2,
  leadInFrames: 4,
  rig: {
    count: 8,
    layout: { kind: 'ring', radius: 20, heights: [3, 8, 5.5] },
    resolutions: [[1280, 720]],
    fovDegrees: 65,
    aimJitter: 0.3,
  },
};
