import type { JobCheckpoint, StopReason } from './job-control.js';

/**
 * Kernel jobs as they move between the scheduler and the gpu-nodes.
 *
 * Flow: the scheduler places a job and enqueues a JobDispatch on the node's own queue
 * (`nodeQueue(nodeId)`, BullMQ job id `${jobId}.${attempt}` so a re-dispatch of the same
 * attempt is ignored); the placements one pass makes on one node travel as one
 * JobDispatchBatch. The node runs them and enqueues JobReport messages on JOB_REPORTS_QUEUE
 * (a durable queue, not pub/sub: a completion must not be lost while the scheduler restarts).
 */

/** The scheduler's queue for node reports (started, succeeded, failed). */
export const JOB_REPORTS_QUEUE = 'job-reports';

/** Each node consumes its own queue; ':' is not allowed in BullMQ queue names. */
export function nodeQueue(nodeId: string): string {
  return `node.${nodeId}`;
}

/**
 * Kernel inputs, inline. Numbers arrays are small buffers given as JSON; larger buffers travel
 * as base64 of the little-endian typed array (`{ base64, dtype }`). Each built-in kernel's
 * descriptor (libs/cuda, kernels/catalog) lists the fields it reads; the node rejects a job
 * whose inputs do not match (error code `bad-input`, not retried).
 */
export type InlineBuffer = number[] | { base64: string; dtype: 'f32' | 'u32' | 'u8' | 'u16' | 'f64' };
export type KernelInputs = Record<string, number | string | boolean | InlineBuffer>;

/**
 * A tenant's signed PTX kernel as registered at the gateway (`/admin/gpu/kernels`), carried to
 * the node with the public key registered for its manifest's keyId. The node verifies the
 * Ed25519 signature and the PTX hash before loading (libs/cuda `verifyKernel`), caches loaded
 * modules by hash, and rejects (error `kernel-rejected`) when the key is missing or anything
 * does not match. The scheduler fills `publicKeyPem` from the key registry, never from the job.
 */
export interface CustomKernelRef {
  kernelId: string;
  /** PTX source text exactly as signed. */
  ptx: string;
  /** The signed manifest (entry, params, limits, keyId, ptxSha256), as libs/cuda defines it. */
  manifest: Record<string, unknown>;
  /** Base64 Ed25519 signature over the manifest. */
  signature?: string;
  /** SPKI PEM of the registered key named by manifest.keyId; absent when none is registered. */
  publicKeyPem?: string;
  /** Launch geometry and scalar/buffer arguments, in manifest parameter order. */
  launch: { grid: [number, number, number]; block: [number, number, number] };
}

export interface JobDispatch {
  jobId: string;
  /** Dispatch attempt, 1-based. Reports carry it back so a stale attempt's report is ignored. */
  attempt: number;
  tenantId: string;
  kernel: { name: string; custom?: CustomKernelRef };
  inputs: KernelInputs;
  /** Device index on the node; absent means run on the node's CPU. */
  deviceIndex?: number;
  /** Peak VRAM the job declared; the node's pool reserves it for the job. */
  vramBytes: number;
  /** The grant and the edition both allow CPU fallback for this job. */
  cpuFallbackAllowed: boolean;
  /** Hard wall-clock limit for the run, after which it fails with `timeout`. */
  timeoutMs: number;
  /** Epoch ms; a job that has not started by then fails with `expired`. */
  deadlineAtMs?: number;
  /** Epoch ms the scheduler enqueued it (for dispatch latency figures). */
  dispatchedAtMs: number;
  /**
   * Launches of the kernel, back to back, each taking the previous launch's outputs as inputs
   * of the same name (default 1). A stop (JobStop) lands between two launches.
   */
  launches?: number;
  /** The job writes a checkpoint when a preemption notice reaches it (see JobStop.graceMs). */
  checkpointable?: boolean;
  /** Resume here: the launches done and the inputs of the next one (the job's last checkpoint). */
  checkpoint?: JobCheckpoint;
}

/**
 * The jobs one scheduling pass placed on one node, as one message on the node's queue (named
 * JOB_DISPATCH_BATCH): one durable queue entry, one delivery and one acknowledgement instead
 * of one per job. The node acknowledges the message once every job in it has ended, so a node
 * that dies holding it gets it back (or, once it is declared lost, its jobs run elsewhere).
 * A node accepts both this and a single JobDispatch.
 */
export interface JobDispatchBatch {
  dispatches: JobDispatch[];
}

export const JOB_DISPATCH_BATCH = 'dispatch-batch';

/**
 * The dispatches a message on a node queue carries, whichever shape it has. They are unchecked:
 * the node checks each one as it would a single message.
 */
export function dispatchesIn(message: unknown): readonly unknown[] {
  if (typeof message === 'object' && message !== null && !Array.isArray(message)) {
    const dispatches = (message as { dispatches?: unknown }).dispatches;
    if (Array.isArray(dispatches) && !('jobId' in message)) return dispatches;
  }
  return [message];
}

export type JobErrorCode =
  | 'bad-input'
  | 'unknown-kernel'
  | 'kernel-rejected'
  | 'quota-oom'
  | 'device-oom'
  | 'launch-failed'
  | 'device-lost'
  | 'timeout'
  | 'expired'
  | 'fallback-over-budget'
  | 'fallback-not-allowed'
  | 'node-draining'
  | 'internal';

export interface JobError {
  code: JobErrorCode;
  message: string;
  /** Whether running the job again (elsewhere) may succeed. */
  retryable: boolean;
}

interface JobReportBase {
  jobId: string;
  attempt: number;
  nodeId: string;
  /** Epoch ms on the node's clock. */
  at: number;
}

export type JobReport =
  | (JobReportBase & { type: 'started'; where: 'cuda' | 'cpu'; deviceIndex?: number })
  | (JobReportBase & {
      type: 'succeeded';
      where: 'cuda' | 'cpu';
      deviceIndex?: number;
      durationMs: number;
      /** Small results inline (same encoding as inputs). */
      output: KernelInputs;
      /** Set when the job ran on the CPU although it asked for a device. */
      fallbackReason?: string;
    })
  | (JobReportBase & { type: 'failed'; durationMs: number; error: JobError })
  | (JobReportBase & {
      /** Stopped on a JobStop: never a result. The run's room is free on the node. */
      type: 'stopped';
      reason: StopReason;
      durationMs: number;
      /** Whether the run had started (a stop may find it still waiting for a slot, or not yet arrived). */
      started: boolean;
      launchesDone: number;
      /** Written on a preemption notice by a checkpointable job. */
      checkpoint?: JobCheckpoint;
    });

/**
 * Reports a node produced within a few milliseconds of each other, as one message on
 * JOB_REPORTS_QUEUE (named JOB_REPORT_BATCH): one durable message instead of one per report.
 * A consumer accepts both this and a single JobReport, so nodes of either kind can share a
 * fleet. A batch is applied as a whole; its reports are guarded by state and attempt like
 * single ones, so a batch delivered twice changes nothing the second time.
 */
export interface JobReportBatch {
  reports: JobReport[];
}

export const JOB_REPORT_BATCH = 'batch';

/** What a node puts on JOB_REPORTS_QUEUE: one report, or a batch of them. */
export type ReportMessage = JobReport | JobReportBatch;

/** The reports a message carries, whichever shape its node sent. */
export function reportsIn(message: ReportMessage): readonly JobReport[] {
  return 'reports' in message && Array.isArray(message.reports) ? message.reports : [message as JobReport];
}

/** Node events for the audit log, on a durable queue the scheduler appends to the log from. */
export const NODE_EVENTS_QUEUE = 'node-events';

export type NodeEventType =
  'kernel.accepted' | 'kernel.rejected' | 'job.cpu-fallback' | 'job.out-of-memory' | 'device.out-of-service';

export interface NodeEvent {
  nodeId: string;
  type: NodeEventType;
  /** The tenant the event concerns; null for node-level events (platform audit chain). */
  tenantId: string | null;
  jobId?: string;
  attempt?: number;
  deviceIndex?: number;
  /** Epoch ms on the node's clock. */
  at: number;
  /** What happened, for the audit entry (no secrets, no kernel source). */
  detail: Record<string, string | number | boolean | null>;
}
