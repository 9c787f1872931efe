import {
  booleanFlag,
  commonSchema,
  databaseSchema,
  port,
  positiveInt,
  schedulingPolicyFrom,
  schedulingPolicySchema,
  transportSchema,
} from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import {
  DAY_MS,
  DEFAULT_RETENTION,
  MIN_JOB_RETENTION_MS,
  type BreakerConfig,
  type PlacementPolicy,
  type RetryPolicy,
} from '@voxelfleet/scheduling';
import { z } from 'zod';

export const schedulerConfigSchema = z.object({
  PORT: port(DEFAULT_PORTS.scheduler),
  ...commonSchema,
  ...databaseSchema,
  ...transportSchema,
  /** Silence after which a node is lost (see isSilent in libs/scheduling: measured up to the latest heartbeat of any node). */
  NODE_LOST_AFTER_MS: positiveInt(2_000),
  ...schedulingPolicySchema,
  /** Longest wait between passes when nothing wakes the loop. */
  SCHEDULER_TICK_MS: positiveInt(200),
  /** Most queued jobs decided in one pass. */
  SCHEDULER_BATCH: positiveInt(1_000),
  /**
   * 0: each node's dispatches go on its own queue (node.<id>). N: on N shared queues
   * (node-dispatch.<shard>), each message naming its node, for relays in front of large fleets.
   */
  SCHEDULER_DISPATCH_SHARDS: z.coerce.number().int().min(0).max(1024).default(0),
  /** Keep each pass's full inputs (snapshot, queue) so it can be replayed later. */
  SCHEDULER_RECORD_TRACE: booleanFlag(false),
  /** Advisory lock key the scheduler instances compete for. */
  SCHEDULER_LEADER_KEY: positiveInt(0x766673636864),
  /** Finished jobs (and their history) are deleted after this many days; 0 keeps them. */
  SCHEDULER_JOB_RETENTION_DAYS: z.coerce
    .number()
    .min(0)
    .default(DEFAULT_RETENTION.jobRetentionMs / DAY_MS)
    .refine((days) => days === 0 || days * DAY_MS >= MIN_JOB_RETENTION_MS, {
      message: `must be 0 (keep) or at least ${MIN_JOB_RETENTION_MS / DAY_MS}: admission counts the day of finished jobs`,
    }),
  /** The decision log and recorded passes are deleted after this many days; 0 keeps them. */
  SCHEDULER_DECISION_RETENTION_DAYS: z.coerce
    .number()
    .min(0)
    .default(DEFAULT_RETENTION.decisionRetentionMs / DAY_MS),
  /** How often the leader prunes old history. */
  SCHEDULER_RETENTION_INTERVAL_MS: positiveInt(600_000),
});
export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;

/** Only the node timeout is required, so an embedding app can take every other default. */
export interface SchedulerSettings {
  nodeLostAfterMs: number;
  seed?: string;
  tickMs?: number;
  batchSize?: number;
  policy?: PlacementPolicy;
  /** Feasible nodes scored per job on a large fleet; 0 scores all (see SCHEDULER_PLACEMENT_SAMPLE). */
  placementSample?: number;
  /** See SCHEDULER_PREEMPTION_MIN_RUNTIME_MS. */
  preemptionMinRuntimeMs?: number;
  recordTrace?: boolean;
  /** Shared dispatch queues instead of one per node (SCHEDULER_DISPATCH_SHARDS); 0 or absent: per node. */
  dispatchShards?: number;
  leaderLockKey?: number;
  breaker?: BreakerConfig;
  retry?: Partial<RetryPolicy>;
  /** A placed job not started by then, and not listed by its node, is dispatched again. */
  dispatchTimeoutMs?: number;
  /** How often the leader checks node liveness. */
  livenessIntervalMs?: number;
  /** Finished jobs kept this long (0: forever); see libs/scheduling retention.ts. */
  jobRetentionMs?: number;
  /** Decision log and recorded passes kept this long (0: forever). */
  decisionRetentionMs?: number;
  retentionIntervalMs?: number;
}

export function settingsFromConfig(config: SchedulerConfig): SchedulerSettings {
  return {
    nodeLostAfterMs: config.NODE_LOST_AFTER_MS,
    ...schedulingPolicyFrom(config),
    tickMs: config.SCHEDULER_TICK_MS,
    batchSize: config.SCHEDULER_BATCH,
    dispatchShards: config.SCHEDULER_DISPATCH_SHARDS,
    recordTrace: config.SCHEDULER_RECORD_TRACE,
    leaderLockKey: config.SCHEDULER_LEADER_KEY,
    jobRetentionMs: config.SCHEDULER_JOB_RETENTION_DAYS * DAY_MS,
    decisionRetentionMs: config.SCHEDULER_DECISION_RETENTION_DAYS * DAY_MS,
    retentionIntervalMs: config.SCHEDULER_RETENTION_INTERVAL_MS,
  };
}
