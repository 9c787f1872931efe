import type { BreakerState } from './circuit-breaker.types.js';
import type { PriorityClass } from './priority.js';

/** Limits a tenant may use; the same shape describes an edition's ceiling. */
export interface TenantQuota {
  readonly vramBytesPerDevice: number;
  readonly vramBytesTotal: number;
  readonly gpus: number;
  readonly concurrentJobs: number;
  readonly jobsPerMinute: number;
  readonly gpuSecondsPerDay: number;
  readonly trackingStreams: number;
}

export type QuotaName = keyof TenantQuota;

export interface EditionFeatures {
  readonly multiGpu: boolean;
  readonly signedCustomKernels: boolean;
  readonly trackingStreams: boolean;
  readonly cpuFallback: boolean;
}

export interface EditionPolicy {
  readonly name: string;
  readonly features: EditionFeatures;
  /** A tenant's own quota overrides the edition's defaults but never exceeds this. */
  readonly ceiling: TenantQuota;
}

export interface TenantUsage {
  /** VRAM held by the tenant's running jobs, summed over devices. */
  readonly vramBytes: number;
  readonly gpus: number;
  readonly runningJobs: number;
  /** Submission times inside (at least) the last minute; older entries are ignored. */
  readonly recentSubmissionsMs: readonly number[];
  /** Consumed plus reserved (estimate of running jobs) GPU-seconds in the current day. */
  readonly gpuSecondsToday: number;
  /** When the daily GPU-second budget resets; lets a pending reason say when. */
  readonly dayResetsAtMs?: number;
  readonly trackingStreams: number;
}

export type PlacementPolicy = 'least-loaded' | 'bin-pack' | 'spread';

export interface TenantSnapshot {
  readonly id: string;
  readonly suspended: boolean;
  readonly edition: EditionPolicy;
  readonly quota: TenantQuota;
  readonly usage: TenantUsage;
  /** Fair-share weight: a tenant with weight 2 is entitled to twice the GPU time. */
  readonly weight?: number;
  /** GPU-seconds already decayed to `decayedAtMs`; see fair-share.ts. */
  readonly decayedUsage?: { readonly gpuSeconds: number; readonly atMs: number };
  readonly placementPolicy?: PlacementPolicy;
  /** Tenants of one cohort lend each other their unused quota (see borrowing.ts). */
  readonly cohort?: string;
  /** The most of each borrowable quota this tenant may use beyond its own limit. */
  readonly borrowingLimit?: BorrowingLimit;
  /**
   * Set by a scheduling pass: what this tenant's own queued jobs ask of each borrowable quota.
   * Its unused quota is not lent while its own work waits for it, or a reclaimed borrower
   * would take the room back before the lender's job reached it.
   */
  readonly claimed?: BorrowingLimit;
}

/** Quotas held by running work, which a cohort member can lend while it does not use them. */
export type BorrowableQuota = 'vramBytesTotal' | 'gpus' | 'concurrentJobs';

export type BorrowingLimit = Partial<Readonly<Record<BorrowableQuota, number>>>;

export type NodeState = 'ready' | 'draining' | 'cordoned' | 'lost';
export type Precision = 'fp64' | 'fp32' | 'tf32' | 'fp16' | 'bf16' | 'fp8' | 'int8';

export interface ComputeCapability {
  readonly major: number;
  readonly minor: number;
}

export interface DeviceCapability {
  readonly vendor: string;
  readonly architecture: string;
  /** Absent for devices without a CUDA compute capability; `sm_*` never matches them. */
  readonly computeCapability?: ComputeCapability;
  readonly memoryBytes: number;
  readonly precisions: readonly Precision[];
  readonly tensorCores: boolean;
}

export interface PerformanceHistory {
  /** Finished jobs the figures below are based on; few samples weigh little. */
  readonly samples: number;
  /** Share of jobs that succeeded, 0..1. */
  readonly successRate: number;
  /** Estimated duration divided by actual duration: above 1 runs faster than estimated. */
  readonly speedFactor: number;
}

export interface DeviceSnapshot {
  readonly id: string;
  readonly capability: DeviceCapability;
  readonly freeVramBytes: number;
  /** 0..1 */
  readonly utilization: number;
  readonly temperatureC: number;
  readonly throttling: boolean;
  readonly breaker?: BreakerState;
  readonly performance?: PerformanceHistory;
}

export interface NodeSnapshot {
  readonly id: string;
  readonly state: NodeState;
  readonly devices: readonly DeviceSnapshot[];
  /** CPU fallback capacity; absent when the node offers none. */
  readonly cpuSlots?: { readonly total: number; readonly free: number };
  readonly breaker?: BreakerState;
  readonly performance?: PerformanceHistory;
}

export interface JobAffinity {
  /** Hard: only this node. */
  readonly nodeId?: string;
  /** Hard: a device-class expression such as `sm_90+,vram>=40GiB`. */
  readonly deviceClass?: string;
  /**
   * Soft: prefer the node holding this tracking stream's state. Soft on purpose: a live
   * frame should run elsewhere rather than wait, and the state can be rebuilt.
   */
  readonly sameNodeAsStream?: string;
}

export interface JobKernel {
  readonly name: string;
  /** A tenant-supplied signed kernel rather than a built-in one. */
  readonly custom?: boolean;
}

export interface JobSpec {
  readonly id: string;
  readonly tenantId: string;
  readonly kernel: JobKernel;
  readonly vramBytesPerDevice: number;
  readonly gpus: number;
  readonly priority: PriorityClass;
  readonly submittedAtMs: number;
  readonly deadlineMs?: number;
  readonly estimatedDurationMs?: number;
  readonly preemptible: boolean;
  readonly affinity?: JobAffinity;
  /**
   * Hard: the device classes the job's GPU grants allow for its kernel, recorded at
   * submission; the job runs only on a device one of them matches. Absent: no grant limits it.
   */
  readonly grantedDeviceClasses?: readonly string[];
  readonly cpuFallbackAllowed: boolean;
  /** Opens a tracking stream (counts against the tracking-streams quota). */
  readonly opensTrackingStream?: boolean;
  readonly attempts?: number;
  readonly lastCheckpointAtMs?: number;
  /** Priority classes gained from lying on a workflow's critical path. */
  readonly boost?: number;
}

export interface RunningJob {
  readonly jobId: string;
  readonly tenantId: string;
  readonly nodeId: string;
  /** Empty when the job runs on the node's CPU fallback. */
  readonly deviceIds: readonly string[];
  readonly vramBytesPerDevice: number;
  readonly priority: PriorityClass;
  readonly preemptible: boolean;
  readonly startedAtMs: number;
  readonly estimatedDurationMs?: number;
  readonly lastCheckpointAtMs?: number;
  /**
   * A run told to stop (preempted or cancelled) that its node has not confirmed stopped: it
   * holds its room until then, and is never chosen as a new victim.
   */
  readonly stopping?: true;
  /** Admitted on quota borrowed from its cohort: the lenders reclaim it first. */
  readonly borrowed?: true;
}

export interface FleetSnapshot {
  readonly nowMs: number;
  readonly tenants: readonly TenantSnapshot[];
  readonly nodes: readonly NodeSnapshot[];
  readonly running: readonly RunningJob[];
  /** Tracking stream id → node holding its state. */
  readonly streamNodes?: Readonly<Record<string, string>>;
}
