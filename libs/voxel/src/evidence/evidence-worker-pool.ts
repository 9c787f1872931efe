import { Worker } from 'node:worker_threads';
import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';
import { validateEvidenceRequest } from './evidence-plan.js';
import { LEAF_SIZE } from './evidence-plan.js';
import type { EvidenceSlabJob } from './evidence-worker.js';
import { buildMaskOccupancy, type MaskOccupancy } from './mask-occupancy.js';

interface Pending {
  resolve: (r: EvidenceResult) => void;
  reject: (e: Error) => void;
}

/**
 * Spreads computeEvidence over worker threads by z slabs (contiguous index ranges, so the
 * slabs' results concatenate in ascending order). Masks are copied once into shared memory
 * that every worker reads. Results are identical to computeEvidence, truncation included.
 */
export class EvidenceWorkerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private shared: Uint8Array[] = [];

  /**
   * @param workerUrl the compiled evidence-worker module (dist/libs/voxel/src/evidence/evidence-worker.js
   *   next to this file after a build, which is the default).
   */
  constructor(
    readonly size = 2,
    workerUrl: URL = new URL('./evidence-worker.js', import.meta.url),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('a pool needs at least one worker');
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(workerUrl);
      worker.on('message', (msg: { id: number; result?: EvidenceResult; error?: string }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.result) p.resolve(msg.result);
        else p.reject(new Error(msg.error ?? 'evidence worker failed'));
      });
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      return worker;
    });
  }

  /** Same result as computeEvidence; `occupancy` (optional) as in computeEvidenceWithOccupancy. */
  async computeEvidence(req: EvidenceRequest, occupancy?: MaskOccupancy[]): Promise<EvidenceResult> {
    validateEvidenceRequest(req);
    const cameras = req.cameras.map((c, k) => {
      let buffer = this.shared[k];
      if (!buffer || buffer.length !== c.mask.length) {
        buffer = new Uint8Array(new SharedArrayBuffer(c.mask.length));
        this.shared[k] = buffer;
      }
      buffer.set(c.mask);
      return { ...c, mask: buffer };
    });
    const request: EvidenceRequest = { ...req, cameras };
    const tiles = occupancy ?? req.cameras.map((c) => buildMaskOccupancy(c.mask, c.width, c.height));
    const blocksZ = Math.ceil(req.grid.dims[2] / LEAF_SIZE);
    // More slabs than workers, handed out round-robin, evens out scenes whose motion sits at
    // one height.
    const slabCount = Math.min(blocksZ, this.workers.length * 4);
    const jobs: Promise<EvidenceResult>[] = [];
    for (let s = 0; s < slabCount; s++) {
      const bz0 = Math.floor((s * blocksZ) / slabCount);
      const bz1 = Math.floor(((s + 1) * blocksZ) / slabCount);
      jobs.push(
        this.run(this.workers[s % this.workers.length]!, {
          id: this.nextId++,
          request,
          occupancy: tiles,
          bz0,
          bz1,
        }),
      );
    }
    const parts = await Promise.all(jobs);
    return mergeSlabs(parts, req.maxVoxels);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private run(worker: Worker, job: EvidenceSlabJob): Promise<EvidenceResult> {
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      worker.postMessage(job);
    });
  }
}

/** Concatenates slab results in slab order and applies the overall maxVoxels bound. */
export function mergeSlabs(parts: EvidenceResult[], maxVoxels: number): EvidenceResult {
  let total = 0;
  let truncated = false;
  for (const p of parts) {
    total += p.indices.length;
    if (p.truncated) truncated = true;
  }
  if (total > maxVoxels) truncated = true;
  const keep = Math.min(total, maxVoxels);
  const indices = new Uint32Array(keep);
  const masks = new Uint32Array(keep);
  let at = 0;
  for (const p of parts) {
    if (at >= keep) break;
    const n = Math.min(p.indices.length, keep - at);
    indices.set(p.indices.subarray(0, n), at);
    masks.set(p.masks.subarray(0, n), at);
    at += n;
    // A truncated slab may have dropped voxels that precede later slabs' voxels: stop there.
    if (p.truncated) break;
  }
  return { indices: indices.subarray(0, at), masks: masks.subarray(0, at), truncated };
}
