import type { TenantUsage } from '@voxelfleet/scheduling';
import type { NodeView } from '../fleet/node-view.js';

export const EMPTY_USAGE: TenantUsage = {
  vramBytes: 0,
  gpus: 0,
  runningJobs: 0,
  recentSubmissionsMs: [],
  gpuSecondsToday: 0,
  trackingStreams: 0,
};

/**
 * Current usage per tenant. This is the one place usage is computed: until the scheduler's
 * `jobs` table exists it is derived from the nodes' reports (VRAM each tenant holds in each
 * device's pool; a device where a tenant holds VRAM counts as one of its GPUs). Running
 * jobs, submissions per minute, GPU-seconds today and tracking streams are not in those
 * reports and read as 0 until this function reads the jobs table.
 */
export function usageFromNodes(
  nodes: readonly NodeView[],
  tenantIds: readonly string[],
): Map<string, TenantUsage> {
  const usage = new Map<string, { vramBytes: number; gpus: number }>(
    tenantIds.map((id) => [id, { vramBytes: 0, gpus: 0 }]),
  );
  for (const node of nodes) {
    if (node.state === 'lost') continue;
    for (const device of node.devices) {
      for (const [tenantId, bytes] of Object.entries(device.pool?.byTenant ?? {})) {
        const entry = usage.get(tenantId);
        if (entry === undefined || !(bytes > 0)) continue;
        entry.vramBytes += bytes;
        entry.gpus += 1;
      }
    }
  }
  return new Map([...usage].map(([id, { vramBytes, gpus }]) => [id, { ...EMPTY_USAGE, vramBytes, gpus }]));
}

/** Where usage came from, said in every answer that shows it. */
export const USAGE_SOURCE =
  'node heartbeats (VRAM and GPUs held per tenant); job counts, rates, GPU-seconds and streams are not reported yet';
