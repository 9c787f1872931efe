import { Worker } from 'node:worker_threads';
import type { EvidenceResult } from '@voxelfleet/contracts';
import type { DetectionSettings, PreparedFrameSet } from '../pipeline/tracking-pipeline.js';
import type { Detection } from './detect-objects.js';
import type { DetectionJob, DetectionReply } from './detection-worker.js';

/**
 * Detection of several frame-sets at once, one frame-set per worker thread. Detection has no
 * state, so frame-sets may finish out of order; the caller feeds the tracker in time order
 * (TrackingPipeline.track). The evidence is copied to the worker; the caller keeps its own.
 */
export class DetectionWorkerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<
    number,
    { resolve: (d: Detection[]) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private next = 0;

  /** @param workerUrl the compiled detection-worker module (next to this file after a build, the default). */
  constructor(
    readonly size = 2,
    workerUrl: URL = new URL('./detection-worker.js', import.meta.url),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('a pool needs at least one worker');
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(workerUrl);
      worker.on('message', (reply: DetectionReply) => {
        const p = this.pending.get(reply.id);
        if (!p) return;
        this.pending.delete(reply.id);
        if (reply.detections) p.resolve(reply.detections);
        else p.reject(new Error(reply.error ?? 'detection worker failed'));
      });
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      return worker;
    });
  }

  /** Same detections as TrackingPipeline.detect(prepared, evidence), on a worker thread. */
  detect(
    prepared: PreparedFrameSet,
    evidence: EvidenceResult,
    settings: DetectionSettings,
  ): Promise<Detection[]> {
    const worker = this.workers[this.next]!;
    this.next = (this.next + 1) % this.workers.length;
    const job: DetectionJob = {
      id: this.nextId++,
      cameras: prepared.request.cameras.map((c) => ({
        projection: c.projection,
        width: c.width,
        height: c.height,
      })),
      minCameras: prepared.request.minCameras,
      evidence,
      settings,
    };
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
