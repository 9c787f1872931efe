import { parentPort } from 'node:worker_threads';
import type { EvidenceRequest } from '@voxelfleet/contracts';
import { computeEvidenceSlab } from './compute-evidence.js';
import { createEvidencePlan } from './evidence-plan.js';
import type { MaskOccupancy } from './mask-occupancy.js';

/** A slab job: the request (masks in shared memory) and the z-block range to evaluate. */
export interface EvidenceSlabJob {
  id: number;
  request: EvidenceRequest;
  /** Built once by the pool rather than once per slab. */
  occupancy: MaskOccupancy[];
  bz0: number;
  bz1: number;
}

// Runs in a worker thread of EvidenceWorkerPool: one slab per message.
parentPort?.on('message', (job: EvidenceSlabJob) => {
  try {
    const plan = createEvidencePlan(job.request, job.occupancy);
    const result = computeEvidenceSlab(plan, job.bz0, job.bz1);
    parentPort!.postMessage({ id: job.id, result }, [
      result.indices.buffer as ArrayBuffer,
      result.masks.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
