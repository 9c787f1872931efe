import { TrackingPipeline, type PipelineOptions } from '../pipeline/tracking-pipeline.js';
import type { SyntheticScene } from '../scene/synthetic-scene.js';
import { scoreTracking, type EvaluatedFrame, type TrackingScore } from './tracking-metrics.js';

export interface SceneRun {
  score: TrackingScore;
  frames: EvaluatedFrame[];
  motionPixels: number;
  evidenceVoxels: number;
}

/**
 * Renders every frame of a synthetic scene, runs it through a pipeline and scores the
 * confirmed tracks against the scene's ground truth (match radius: 3 voxels plus a radius).
 */
export function runSyntheticScene(scene: SyntheticScene, pipeline: Partial<PipelineOptions> = {}): SceneRun {
  const tracking = new TrackingPipeline({ cameras: scene.cameras, grid: scene.grid, ...pipeline });
  const frames: EvaluatedFrame[] = [];
  let motionPixels = 0;
  let evidenceVoxels = 0;
  for (let f = 0; f < scene.totalFrames; f++) {
    const result = tracking.processFrames(
      scene.timeOf(f),
      scene.cameras.map((_, k) => scene.renderFrame(f, k)),
    );
    motionPixels += result.motionPixels;
    evidenceVoxels += result.evidenceVoxels;
    if (f >= scene.options.leadInFrames) frames.push({ truth: scene.truthAt(f), tracks: result.tracks });
  }
  const score = scoreTracking(frames, {
    matchRadius: 3 * scene.grid.voxelSize + scene.options.targetRadius,
    voxelSize: scene.grid.voxelSize,
    targetRadius: scene.options.targetRadius,
    separationVoxels: 3,
  });
  return { score, frames, motionPixels, evidenceVoxels };
}
