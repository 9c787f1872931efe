import { breakerOnPlacement } from './circuit-breaker.js';
import { DEFAULT_BREAKER_CONFIG, type BreakerConfig } from './circuit-breaker.types.js';
import type { Placement } from './placement.types.js';
import type { Victim } from './preemption.js';
import type { FleetSnapshot, JobSpec, NodeSnapshot, RunningJob, TenantSnapshot } from './snapshot.types.js';
import { chargeAdmission } from './tenant-usage.js';

/**
 * A new snapshot in which `job` runs where `placement` says: VRAM or a CPU slot taken, the
 * tenant charged, the job listed as running, a half-open breaker's probe marked. Lets a pass
 * over a queue see its own earlier placements without writing anywhere.
 */
export function applyPlacement(
  snapshot: FleetSnapshot,
  job: JobSpec,
  placement: Placement,
  breaker: BreakerConfig = DEFAULT_BREAKER_CONFIG,
): FleetSnapshot {
  const deviceIds = placement.target === 'gpu' ? placement.deviceIds : [];
  const nodes = snapshot.nodes.map((node) => {
    if (node.id !== placement.nodeId) return node;
    const updated: NodeSnapshot = {
      ...node,
      devices: node.devices.map((d) =>
        deviceIds.includes(d.id) ? { ...d, freeVramBytes: d.freeVramBytes - job.vramBytesPerDevice } : d,
      ),
      ...(node.breaker ? { breaker: breakerOnPlacement(node.breaker, snapshot.nowMs, breaker) } : {}),
    };
    if (placement.target === 'cpu' && node.cpuSlots) {
      return { ...updated, cpuSlots: { ...node.cpuSlots, free: node.cpuSlots.free - 1 } };
    }
    return updated;
  });
  const running: RunningJob = {
    jobId: job.id,
    tenantId: job.tenantId,
    nodeId: placement.nodeId,
    deviceIds,
    vramBytesPerDevice: placement.target === 'gpu' ? job.vramBytesPerDevice : 0,
    priority: job.priority,
    preemptible: job.preemptible,
    startedAtMs: snapshot.nowMs,
    ...(job.estimatedDurationMs === undefined ? {} : { estimatedDurationMs: job.estimatedDurationMs }),
  };
  // A CPU-fallback job is still charged as submitted: quotas bound what a tenant asks for,
  // and the job may move back to a GPU on retry.
  const tenants = mapTenant(snapshot.tenants, job.tenantId, (t) => ({
    ...t,
    usage: chargeAdmission(t.usage, job, snapshot.nowMs),
  }));
  return { ...snapshot, nodes, tenants, running: [...snapshot.running, running] };
}

/**
 * A new snapshot without the victims: their VRAM is back on their devices and their
 * tenants' running usage released. GPU-seconds already spent stay spent.
 */
export function applyPreemption(snapshot: FleetSnapshot, victims: readonly Victim[]): FleetSnapshot {
  const ids = new Set(victims.map((v) => v.jobId));
  const removed = snapshot.running.filter((r) => ids.has(r.jobId));
  const nodes = snapshot.nodes.map((node) => {
    const onNode = removed.filter((r) => r.nodeId === node.id);
    if (onNode.length === 0) return node;
    return {
      ...node,
      devices: node.devices.map((d) => {
        const freed = onNode
          .filter((r) => r.deviceIds.includes(d.id))
          .reduce((sum, r) => sum + r.vramBytesPerDevice, 0);
        return freed === 0 ? d : { ...d, freeVramBytes: d.freeVramBytes + freed };
      }),
    };
  });
  let tenants = snapshot.tenants;
  for (const r of removed) {
    tenants = mapTenant(tenants, r.tenantId, (t) => ({
      ...t,
      usage: {
        ...t.usage,
        vramBytes: Math.max(0, t.usage.vramBytes - r.vramBytesPerDevice * r.deviceIds.length),
        gpus: Math.max(0, t.usage.gpus - r.deviceIds.length),
        runningJobs: Math.max(0, t.usage.runningJobs - 1),
      },
    }));
  }
  return { ...snapshot, nodes, tenants, running: snapshot.running.filter((r) => !ids.has(r.jobId)) };
}

function mapTenant(
  tenants: readonly TenantSnapshot[],
  id: string,
  change: (tenant: TenantSnapshot) => TenantSnapshot,
): TenantSnapshot[] {
  return tenants.map((t) => (t.id === id ? change(t) : t));
}
