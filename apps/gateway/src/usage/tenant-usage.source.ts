import { EMPTY_USAGE } from '@voxelfleet/persistence';
import type { TenantUsage } from '@voxelfleet/scheduling';
import type { EntityManager } from 'typeorm';
import type { NodeView } from '../fleet/node-view.js';

export { EMPTY_USAGE, loadActiveJobs as loadRunningJobs } from '@voxelfleet/persistence';

const DAY_MS = 86_400_000;
const RATE_WINDOW_MS = 60_000;

export function startOfUtcDay(nowMs: number): number {
  return Math.floor(nowMs / DAY_MS) * DAY_MS;
}

interface UsageRow {
  tenant_id: string;
  running_jobs: string | null;
  vram_bytes: string | null;
  gpus: string | null;
  recent_ms: (string | number)[] | null;
  gpu_seconds_today: string | null;
}

/**
 * Current usage per tenant, counted the way the scheduler's admission counts it, so what
 * `GET /v1/quota` shows is what admission will see: VRAM, GPUs and jobs of placed and
 * running jobs; placements inside the last minute (the rate quota); GPU-seconds since the
 * start of the UTC day (finished jobs by their run time, the others by their estimate); and
 * tracking streams running or paused.
 */
export async function usageFromJobs(
  manager: EntityManager,
  nowMs: number,
): Promise<Map<string, TenantUsage>> {
  const dayStart = new Date(startOfUtcDay(nowMs));
  const windowStart = new Date(nowMs - RATE_WINDOW_MS);
  const [rows, streams] = await Promise.all([
    manager.query<UsageRow[]>(
      `SELECT tenant_id,
              count(*) FILTER (WHERE state IN ('placed', 'running')) AS running_jobs,
              sum(vram_bytes * cardinality(device_ids)) FILTER (WHERE state IN ('placed', 'running')) AS vram_bytes,
              sum(cardinality(device_ids)) FILTER (WHERE state IN ('placed', 'running')) AS gpus,
              array_agg((extract(epoch FROM placed_at) * 1000)::bigint ORDER BY placed_at)
                FILTER (WHERE placed_at > $2 AND (affinity IS NULL OR affinity->>'sameNodeAsStream' IS NULL))
                AS recent_ms,
              sum(gpus * CASE WHEN finished_at IS NOT NULL AND started_at IS NOT NULL
                              THEN extract(epoch FROM finished_at - started_at)
                              ELSE coalesce(estimated_duration_ms, 0) / 1000.0 END)
                FILTER (WHERE placed_at >= $1 AND state <> 'preempted') AS gpu_seconds_today
         FROM jobs
        WHERE state IN ('placed', 'running') OR placed_at >= least($1, $2)
        GROUP BY tenant_id`,
      [dayStart, windowStart],
    ),
    manager.query<{ tenant_id: string; n: string }[]>(
      `SELECT tenant_id, count(*) AS n FROM tracking_streams WHERE state IN ('running', 'paused') GROUP BY tenant_id`,
    ),
  ]);
  const usage = new Map<string, TenantUsage>();
  const dayResetsAtMs = dayStart.getTime() + DAY_MS;
  for (const row of rows) {
    usage.set(row.tenant_id, {
      vramBytes: Number(row.vram_bytes ?? 0),
      gpus: Number(row.gpus ?? 0),
      runningJobs: Number(row.running_jobs ?? 0),
      recentSubmissionsMs: (row.recent_ms ?? []).map(Number),
      gpuSecondsToday: Number(row.gpu_seconds_today ?? 0),
      dayResetsAtMs,
      trackingStreams: 0,
    });
  }
  for (const stream of streams) {
    const current = usage.get(stream.tenant_id) ?? { ...EMPTY_USAGE, dayResetsAtMs };
    usage.set(stream.tenant_id, { ...current, trackingStreams: Number(stream.n) });
  }
  return usage;
}

/**
 * VRAM each tenant holds in the device pools, as the nodes report it, and on how many
 * devices. This is what is physically held, shown beside the quota usage above (a job
 * between placement and its first allocation holds nothing yet; a leak holds without a job).
 */
export function heldOnDevices(
  nodes: readonly NodeView[],
  tenantIds: readonly string[],
): Map<string, { vramBytes: number; devices: number }> {
  const held = new Map(tenantIds.map((id) => [id, { vramBytes: 0, devices: 0 }]));
  for (const node of nodes) {
    if (node.state === 'lost') continue;
    for (const device of node.devices) {
      for (const [tenantId, bytes] of Object.entries(device.pool?.byTenant ?? {})) {
        const entry = held.get(tenantId);
        if (entry === undefined || !(bytes > 0)) continue;
        entry.vramBytes += bytes;
        entry.devices += 1;
      }
    }
  }
  return held;
}

/** Where usage came from, said in every answer that shows it. */
export const USAGE_SOURCE =
  'jobs placed or running, placements in the last minute and GPU-seconds since 00:00 UTC (as admission counts them); tracking streams running or paused';
