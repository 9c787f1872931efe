import { hostname } from 'node:os';
import type { EvidenceResult } from '@voxelfleet/contracts';
import { computeEvidenceWithOccupancy, type PreparedFrameSet } from '@voxelfleet/voxel';

/** Where a frame-set's evidence was computed, and what came back. */
export interface EvidenceOutcome {
  result: EvidenceResult;
  /** The node that ran it (the fleet's node id, or this process). */
  node: string;
}

/** The job context an evidence step runs under: the stream's tenant is charged for it. */
export interface EvidenceOwner {
  tenantId: string;
  streamId: string;
}

/** The evidence step could not produce a result for a frame-set: a gap in the stream. */
export class EvidenceLostError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EvidenceLostError';
  }
}

/**
 * Runs the evidence step of a prepared frame-set. `start` must read the request's buffers
 * before it returns: the pipeline reuses them for the next frame-set.
 */
export interface EvidenceBackend {
  readonly kind: 'in-process-cpu' | 'fleet';
  start(owner: EvidenceOwner, prepared: PreparedFrameSet): Promise<EvidenceOutcome>;
}

/** Evidence on this process's CPU, at once (the default when no fleet is configured). */
export class InProcessEvidence implements EvidenceBackend {
  readonly kind = 'in-process-cpu';
  private readonly node = `${hostname()}:${process.pid}`;

  start(_owner: EvidenceOwner, prepared: PreparedFrameSet): Promise<EvidenceOutcome> {
    // Computed now: the request's masks are the pipeline's, reused by the next frame-set.
    return new Promise((resolve) => {
      resolve({
        result: computeEvidenceWithOccupancy(prepared.request, prepared.occupancy),
        node: this.node,
      });
    });
  }
}
