import type { NodeHeartbeat } from '@voxelfleet/contracts';

/** A fleet event worth an audit entry, derived from two consecutive reports of one node. */
export interface GpuEvent {
  nodeId: string;
  action: 'gpu.allocation-failed' | 'gpu.oom.soft' | 'gpu.oom.hard' | 'gpu.cpu-fallback' | 'gpu.device-lost';
  deviceIndex: number | null;
  count: number;
  reason: string;
}

/**
 * Nodes report counters, not individual events; the increase between two reports is what
 * happened in between. A first report only sets the baseline (a restarted gateway must not
 * re-audit a node's whole history); a counter going down means the node restarted and its
 * new value is what happened since. Successful allocations and launches are not audited one
 * by one: they are the normal case and show in /admin/gpu/stats.
 */
export function gpuEventsBetween(previous: NodeHeartbeat | undefined, next: NodeHeartbeat): GpuEvent[] {
  if (previous === undefined) return [];
  const events: GpuEvent[] = [];
  const increase = (before: number | undefined, after: number | undefined) => {
    const a = after ?? 0;
    const b = before ?? 0;
    return a >= b ? a - b : a;
  };
  const fallbacks = increase(previous.fallbacks, next.fallbacks);
  if (fallbacks > 0) {
    events.push({
      nodeId: next.nodeId,
      action: 'gpu.cpu-fallback',
      deviceIndex: null,
      count: fallbacks,
      reason: `${fallbacks} job(s) ran on the CPU fallback`,
    });
  }
  for (const device of next.devices) {
    const before = previous.devices.find((d) => d.uuid === device.uuid || d.index === device.index);
    const counters: [GpuEvent['action'], number, string][] = [
      [
        'gpu.allocation-failed',
        increase(before?.pool?.allocationFailures, device.pool?.allocationFailures),
        'allocation(s) failed',
      ],
      [
        'gpu.oom.soft',
        increase(before?.pool?.softOoms, device.pool?.softOoms),
        'allocation(s) over a tenant quota',
      ],
      [
        'gpu.oom.hard',
        increase(before?.pool?.hardOoms, device.pool?.hardOoms),
        'allocation(s) beyond device memory',
      ],
    ];
    for (const [action, count, what] of counters) {
      if (count > 0) {
        events.push({
          nodeId: next.nodeId,
          action,
          deviceIndex: device.index,
          count,
          reason: `${count} ${what}`,
        });
      }
    }
    if (device.healthy === false && before?.healthy !== false) {
      const xid = device.telemetry?.xidErrors ?? 0;
      events.push({
        nodeId: next.nodeId,
        action: 'gpu.device-lost',
        deviceIndex: device.index,
        count: 1,
        reason: `device ${device.index} (${device.uuid}) reported unhealthy${xid > 0 ? `, ${xid} XID error(s)` : ''}`,
      });
    }
  }
  return events;
}
