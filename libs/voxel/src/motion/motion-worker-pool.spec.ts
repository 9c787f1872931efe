import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bundleWorkerForTest } from '../testing/bundle-worker.js';
import { createSyntheticScene } from '../scene/synthetic-scene.js';
import { BackgroundModel } from './background-model.js';
import { MotionWorkerPool } from './motion-worker-pool.js';

describe('motion worker pool', () => {
  let worker: ReturnType<typeof bundleWorkerForTest>;
  let url: URL;

  beforeAll(() => {
    worker = bundleWorkerForTest('libs/voxel/src/motion/motion-worker.ts');
    url = worker.url;
  });

  afterAll(() => worker.remove());

  it('gives the same motion as the background model on one thread', async () => {
    const scene = createSyntheticScene({
      seed: 4,
      targets: 3,
      frames: 4,
      rig: { ...createSyntheticScene().options.rig, count: 3 },
    });
    const pool = new MotionWorkerPool(scene.cameras, {}, 2, url);
    const models = scene.cameras.map((c) => new BackgroundModel(c.width, c.height));
    let changed = 0;
    try {
      for (let f = 0; f < scene.totalFrames; f++) {
        const frames = scene.cameras.map((_, k) => scene.renderFrame(f, k));
        const pooled = await pool.extract([frames[0]!, null, frames[2]!]);
        expect(pooled[1]).toBeNull();
        for (const k of [0, 2]) {
          const m = models[k]!.update(frames[k]!);
          expect(Array.from(pooled[k]!.indices)).toEqual(Array.from(m.indices.subarray(0, m.count)));
          changed += m.count;
        }
      }
    } finally {
      await pool.close();
    }
    expect(changed).toBeGreaterThan(100);
  });
});
