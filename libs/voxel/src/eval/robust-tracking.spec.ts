import { describe, expect, it } from '@jest/globals';
import type { Vec3 } from '../math/mat3.js';
import { DEFAULT_ROBUST_BACKGROUND_OPTIONS } from '../motion/robust-background-model.js';
import { createSyntheticScene, type SceneOptions } from '../scene/synthetic-scene.js';
import { runSyntheticScene } from './run-synthetic-scene.js';
import { MATCH_VOXELS, scoreScene } from './scene-score.js';

/**
 * Scenes the tracker was not tuned on: targets in view from the first frame (the background
 * model starts with them in it), and 3 g manoeuvres at 10 fps.
 */
const RIG: SceneOptions['rig'] = {
  count: 8,
  layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
  resolutions: [[320, 240]],
  fovDegrees: 55,
  aimJitter: 0.3,
};

const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('tracking on scenes it was not built on', () => {
  it('keeps no ghost track where targets stood in the first frame', () => {
    const scene = createSyntheticScene({
      seed: 21,
      frames: 60,
      fps: 10,
      noiseSigma: 3,
      targets: 5,
      leadInFrames: 0,
      rig: RIG,
    });
    const run = runSyntheticScene(scene, {});
    const voxel = scene.grid.voxelSize;
    const start = scene.truthAt(0).map((t) => t.position);
    // Seconds each published track spends still at a frame-0 position with no target near:
    // the ghost an object leaves behind. It must fade within the model's stated bound.
    const ghostSeconds = new Map<number, number>();
    run.frames.forEach((f) => {
      for (const t of f.tracks) {
        if (t.state !== 'confirmed' && t.state !== 'coasting') continue;
        const atStart = start.some((p) => dist(p, t.position) < 2 * voxel);
        const nearTarget = f.truth.some((g) => dist(g.position, t.position) < MATCH_VOXELS * voxel);
        if (atStart && !nearTarget)
          ghostSeconds.set(t.trackId, (ghostSeconds.get(t.trackId) ?? 0) + 1 / scene.options.fps);
      }
    });
    const longest = Math.max(0, ...ghostSeconds.values());
    const s = scoreScene(run.frames, { voxelSize: voxel });
    console.log(`frame-0 scene: longest ghost ${longest.toFixed(1)} s, ${JSON.stringify(s)}`);
    // The bound: a ghost pixel joins the background after absorbSeconds of steadiness, which
    // begins once the object has left it (its diameter at its speed: 0.5 m at 1 m/s here);
    // plus two frames of sampling.
    const leaving = (2 * scene.options.targetRadius) / scene.options.speed;
    expect(longest).toBeLessThanOrEqual(
      DEFAULT_ROBUST_BACKGROUND_OPTIONS.absorbSeconds + leaving + 2 / scene.options.fps,
    );
    // Before the robust model and the birth rules: MOTA -0.22 with 333 false positives (the
    // ghosts kept for the whole sequence). Not yet the 0.9 goal: while ghosts and targets
    // separate (the first two seconds) there are misses and short-lived false tracks.
    expect(s.mota).toBeGreaterThanOrEqual(0.5);
    expect(s.falsePositives).toBeLessThan(120);
  });

  it('keeps identities through 3 g turns at 10 fps', () => {
    const scene = createSyntheticScene({
      seed: 22,
      frames: 60,
      fps: 10,
      noiseSigma: 3,
      targets: 5,
      leadInFrames: 4,
      paths: ['manoeuvre'],
      speed: 3,
      turnG: 3,
      rig: RIG,
    });
    const run = runSyntheticScene(scene, {});
    const s = scoreScene(run.frames, { voxelSize: scene.grid.voxelSize });
    console.log(`3 g at 10 fps: ${JSON.stringify(s)}`);
    expect(s.idSwitches).toBe(0);
    expect(s.idf1).toBeGreaterThanOrEqual(0.9);
    expect(s.mota).toBeGreaterThanOrEqual(0.9);
  });
});
