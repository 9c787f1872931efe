import type { SceneOptions } from '@voxelfleet/voxel';

/**
 * The GPU benchmark's scene: 20 cameras 1920x1080 on two rings, 50 targets, a 512³ grid of
 * 5 cm voxels (25.6 m a side), noise sigma 2.
 */
export const GPU_SCENE: Partial<SceneOptions> = {
  seed: 7,
  targets: 50,
  frames: 30,
  fps: 30,
  gridDims: [512, 512, 512],
  voxelSize: 0.05,
  targetRadius: 0.25,
  speed: 1.5,
  noiseSigma: 2,
  leadInFrames: 4,
  rig: {
    count: 20,
    layout: { kind: 'ring', radius: 30, heights: [3, 12, 7.5] },
    resolutions: [[1920, 1080]],
    fovDegrees: 65,
    aimJitter: 0.3,
  },
};
