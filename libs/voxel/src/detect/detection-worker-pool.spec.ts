import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bundleWorkerForTest } from '../testing/bundle-worker.js';
import { computeEvidenceWithOccupancy } from '../evidence/compute-evidence.js';
import { TrackingPipeline } from '../pipeline/tracking-pipeline.js';
import { createSyntheticScene } from '../scene/synthetic-scene.js';
import { DetectionWorkerPool } from './detection-worker-pool.js';

describe('detection worker pool', () => {
  let worker: ReturnType<typeof bundleWorkerForTest>;
  let pool: DetectionWorkerPool;

  beforeAll(() => {
    worker = bundleWorkerForTest('libs/voxel/src/detect/detection-worker.ts');
    pool = new DetectionWorkerPool(2, worker.url);
  });

  afterAll(async () => {
    await pool.close();
    worker.remove();
  });

  it('detects exactly what the pipeline detects, and tracking from them matches processMotion', async () => {
    const scene = createSyntheticScene({
      seed: 11,
      targets: 6,
      frames: 8,
      gridDims: [64, 64, 48],
      voxelSize: 0.1,
      rig: {
        count: 6,
        layout: { kind: 'ring', radius: 9, heights: [2, 4] },
        resolutions: [[320, 240]],
        fovDegrees: 70,
        aimJitter: 0.2,
      },
    });
    const reference = new TrackingPipeline({ cameras: scene.cameras, grid: scene.grid });
    const split = new TrackingPipeline({ cameras: scene.cameras, grid: scene.grid });
    let detections = 0;
    for (let f = 0; f < scene.totalFrames; f++) {
      const frames = scene.cameras.map((_, k) => scene.renderFrame(f, k));
      const expected = reference.processFrames(scene.timeOf(f), frames);
      const prepared = split.prepareMotion(frames.map((frame, k) => split.extractMotion(k, frame)));
      const evidence = computeEvidenceWithOccupancy(prepared.request, prepared.occupancy);
      const found = await pool.detect(prepared, evidence, split.detectionOptions);
      expect(found).toEqual(split.detect(prepared, evidence));
      const result = split.track(scene.timeOf(f), prepared, evidence, found);
      expect(result.tracks).toEqual(expected.tracks);
      detections += found.length;
    }
    expect(detections).toBeGreaterThan(0);
  });
});
