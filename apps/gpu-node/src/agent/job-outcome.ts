import type { JobError, KernelInputs } from '@voxelfleet/contracts';
import { CudaError } from '@voxelfleet/cuda';
import type { NodeMetrics } from './node-metrics.js';

/** How one run ended, before it becomes a JobReport. */
export type Outcome =
  | { ok: true; where: 'cuda' | 'cpu'; deviceIndex?: number; output: KernelInputs; fallbackReason?: string }
  | { ok: false; error: JobError; deviceFailure?: 'device-lost' | 'device-oom' };

export const fail = (code: JobError['code'], message: string, retryable: boolean): Outcome => ({
  ok: false,
  error: { code, message, retryable },
});

/** Counts a refused pool allocation (soft: tenant share; hard: pool or device full). */
export function countAllocFailure(metrics: NodeMetrics, e: unknown, gpu: string): void {
  if (e instanceof CudaError && (e.code === 'SOFT_OOM' || e.code === 'HARD_OOM')) {
    metrics.allocationFailures.inc({ kind: e.code === 'SOFT_OOM' ? 'soft' : 'hard', gpu });
  }
}
