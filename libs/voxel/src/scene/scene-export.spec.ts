import { describe, expect, it } from '@jest/globals';
import { projectPoint } from '../camera/camera-model.js';
import { parseOriginalMetadata } from '../camera/original-metadata.js';
import { rigFromOriginalMetadata, sceneGroundTruth, sceneMetadata } from './scene-export.js';
import { createSyntheticScene } from './synthetic-scene.js';

describe('scene export', () => {
  const scene = createSyntheticScene({
    seed: 5,
    targets: 3,
    frames: 4,
    rig: { ...createSyntheticScene().options.rig, count: 3 },
  });

  it('writes metadata.json that converts back to the same cameras', () => {
    const entries = parseOriginalMetadata(JSON.parse(JSON.stringify(sceneMetadata(scene, 'png'))));
    expect(entries).toHaveLength(3 * scene.totalFrames);
    const rig = rigFromOriginalMetadata(entries, (e) => [
      scene.cameras[e.camera_index]!.width,
      scene.cameras[e.camera_index]!.height,
    ]);
    const truth = scene.truthAt(scene.options.leadInFrames)[0]!.position;
    rig.forEach((camera, k) => {
      const a = projectPoint(camera, truth)!;
      const b = projectPoint(scene.cameras[k]!, truth)!;
      expect(a[0]).toBeCloseTo(b[0], 6);
      expect(a[1]).toBeCloseTo(b[1], 6);
    });
  });

  it('is deterministic by seed and renders targets brighter than the background', () => {
    const again = createSyntheticScene({ seed: 5, targets: 3, frames: 4, rig: scene.options.rig });
    const f = scene.options.leadInFrames + 1;
    expect(Array.from(again.renderFrame(f, 1).data)).toEqual(Array.from(scene.renderFrame(f, 1).data));
    const truth = sceneGroundTruth(scene).frames[f]!.targets[0]!.position;
    const [u, v] = projectPoint(scene.cameras[0]!, truth)!;
    const frame = scene.renderFrame(f, 0);
    expect(frame.data[Math.floor(v) * frame.width + Math.floor(u)]).toBeGreaterThan(180);
  });
});
