import type { JobAffinity, JobSpec, PriorityClass } from '@voxelfleet/scheduling';
import type { JobState, KernelInputs } from '@voxelfleet/contracts';

export type { JobState } from '@voxelfleet/contracts';

/** How a job names its kernel in the row: a built-in by name, or a registered kernel by id. */
export interface StoredKernel {
  name: string;
  kernelId?: string;
}

/** The columns the scheduler reads to decide and dispatch a queued job. */
export interface QueuedJobRow {
  id: string;
  tenant_id: string;
  workflow_id: string | null;
  state: JobState;
  kernel: StoredKernel;
  inputs: KernelInputs;
  vram_bytes: string;
  gpus: number;
  priority: PriorityClass;
  boost: number;
  deadline_at: Date | null;
  estimated_duration_ms: number | null;
  timeout_ms: number;
  preemptible: boolean;
  affinity: JobAffinity | null;
  cpu_fallback_allowed: boolean;
  /** The device classes the job's grants allow; null when no grant narrows it. */
  granted_device_classes: string[] | null;
  max_attempts: number;
  attempt: number;
  checkpoint_at: Date | null;
  submitted_at: Date;
  pending: unknown;
  /** Launches of the kernel in one run (the node stops a run between two). */
  launches: number;
  /** It writes a checkpoint on a preemption notice, within `preemption_grace_ms`. */
  checkpointable: boolean;
  preemption_grace_ms: number;
}

export const QUEUED_JOB_COLUMNS = `id, tenant_id, workflow_id, state, kernel, inputs, vram_bytes, gpus, priority,
  boost, deadline_at, estimated_duration_ms, timeout_ms, preemptible, affinity, cpu_fallback_allowed,
  granted_device_classes, max_attempts, attempt, checkpoint_at, submitted_at, pending, launches, checkpointable,
  preemption_grace_ms`;

/**
 * The decision logic's view of a queued job, deeply frozen: a pass digests each job twice (in
 * the pass's inputs and in its decision's), and a frozen value's canonical text is kept.
 */
export function toJobSpec(row: QueuedJobRow): JobSpec {
  return Object.freeze({
    id: row.id,
    tenantId: row.tenant_id,
    kernel: Object.freeze({ name: row.kernel.name, ...(row.kernel.kernelId ? { custom: true } : {}) }),
    vramBytesPerDevice: Number(row.vram_bytes),
    gpus: row.gpus,
    priority: row.priority,
    submittedAtMs: row.submitted_at.getTime(),
    ...(row.deadline_at ? { deadlineMs: row.deadline_at.getTime() } : {}),
    ...(row.estimated_duration_ms === null ? {} : { estimatedDurationMs: row.estimated_duration_ms }),
    preemptible: row.preemptible,
    ...(row.affinity ? { affinity: deepFreeze(row.affinity) } : {}),
    ...(row.granted_device_classes ? { grantedDeviceClasses: deepFreeze(row.granted_device_classes) } : {}),
    cpuFallbackAllowed: row.cpu_fallback_allowed,
    attempts: row.attempt,
    ...(row.checkpoint_at ? { lastCheckpointAtMs: row.checkpoint_at.getTime() } : {}),
    ...(row.boost > 0 ? { boost: row.boost } : {}),
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
