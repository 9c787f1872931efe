import {
  stopHoldOf,
  type PriorityClass,
  type RunningJob,
  type StoppingRun,
  type TenantSnapshot,
  type TenantUsage,
} from '@voxelfleet/scheduling';
import type { TenantPolicy } from './tenant-policies.js';

/** Usage of a tenant with nothing running, submitted or streaming. */
export const EMPTY_USAGE: TenantUsage = {
  vramBytes: 0,
  gpus: 0,
  runningJobs: 0,
  recentSubmissionsMs: [],
  gpuSecondsToday: 0,
  trackingStreams: 0,
};

/** A stored policy as the scheduling functions see a tenant, with the usage given (none by default). */
export function tenantSnapshotOf(policy: TenantPolicy, usage: TenantUsage = EMPTY_USAGE): TenantSnapshot {
  return {
    id: policy.id,
    suspended: policy.suspended,
    edition: policy.edition,
    quota: policy.quota,
    usage,
    weight: policy.weight,
    ...(policy.placementPolicy ? { placementPolicy: policy.placementPolicy } : {}),
    ...(policy.cohort === undefined ? {} : { cohort: policy.cohort, borrowingLimit: policy.borrowingLimit }),
  };
}

interface ActiveRow {
  id: string;
  tenant_id: string;
  node_id: string;
  device_ids: string[];
  vram_bytes: string;
  priority: PriorityClass;
  preemptible: boolean;
  started_at: Date;
  estimated_duration_ms: number | null;
  checkpoint_at: Date | null;
  borrowed: boolean;
}

/**
 * Placed and running jobs (the scheduler's `jobs` table) as the scheduling functions see
 * them: what holds room on nodes, and what could be preempted. A job on the CPU holds no VRAM.
 * Runs told to stop and not yet confirmed stopped by their nodes hold their room too (see
 * libs/scheduling stop-holds.ts), so the gateway and the scheduler count the same room.
 */
export async function loadActiveJobs(db: {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}): Promise<RunningJob[]> {
  const rows = (await db.query(
    `SELECT id, tenant_id, node_id, device_ids, vram_bytes, priority, preemptible,
            coalesce(started_at, placed_at) AS started_at, estimated_duration_ms, checkpoint_at,
            coalesce(jsonb_array_length(placement->'borrowing') > 0, false) AS borrowed
       FROM jobs WHERE state IN ('placed', 'running') AND node_id IS NOT NULL`,
  )) as ActiveRow[];
  const stopping = (await db.query(
    `SELECT id, tenant_id, priority, stopping FROM jobs WHERE stopping IS NOT NULL`,
  )) as { id: string; tenant_id: string; priority: PriorityClass; stopping: StoppingRun }[];
  const holds = stopping.map((row) =>
    stopHoldOf({ id: row.id, tenantId: row.tenant_id, priority: row.priority }, row.stopping),
  );
  const active = rows.map((row) => ({
    jobId: row.id,
    tenantId: row.tenant_id,
    nodeId: row.node_id,
    deviceIds: row.device_ids,
    vramBytesPerDevice: row.device_ids.length > 0 ? Number(row.vram_bytes) : 0,
    priority: row.priority,
    preemptible: row.preemptible,
    startedAtMs: row.started_at.getTime(),
    ...(row.estimated_duration_ms === null ? {} : { estimatedDurationMs: row.estimated_duration_ms }),
    ...(row.checkpoint_at ? { lastCheckpointAtMs: row.checkpoint_at.getTime() } : {}),
    ...(row.borrowed ? { borrowed: true as const } : {}),
  }));
  return holds.length === 0 ? active : [...active, ...holds];
}
