import { parentPort } from 'node:worker_threads';
import type { EvidenceResult } from '@voxelfleet/contracts';
import { detectFrameSet, type DetectionSettings } from '../pipeline/tracking-pipeline.js';
import type { Detection } from './detect-objects.js';

/** One frame-set's detection job: evidence plus the cameras' geometry (no masks needed). */
export interface DetectionJob {
  id: number;
  cameras: { projection: Float64Array; width: number; height: number }[];
  minCameras: number;
  evidence: EvidenceResult;
  settings: DetectionSettings;
}

export interface DetectionReply {
  id: number;
  detections?: Detection[];
  error?: string;
}

// Runs in a worker thread of DetectionWorkerPool.
parentPort?.on('message', (job: DetectionJob) => {
  try {
    const cameras = job.cameras.map((c) => ({ ...c, mask: new Uint8Array(0) }));
    const detections = detectFrameSet({ cameras, minCameras: job.minCameras }, job.evidence, job.settings);
    parentPort!.postMessage({ id: job.id, detections } satisfies DetectionReply);
  } catch (error) {
    parentPort!.postMessage({
      id: job.id,
      error: error instanceof Error ? error.message : String(error),
    } satisfies DetectionReply);
  }
});
