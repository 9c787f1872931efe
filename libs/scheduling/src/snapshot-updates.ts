import { breakerOnPlacement } from './circuit-breaker.js';
import { fleetIndexOf } from './fleet-index.js';
import { DEFAULT_BREAKER_CONFIG, type BreakerConfig } from './circuit-breaker.types.js';
import type { Placement } from './placement.types.js';
import type { FleetSnapshot, JobSpec, NodeSnapshot, RunningJob, TenantSnapshot } from './snapshot.types.js';
import { countsTowardRate } from './quota.js';
import { chargeAdmission, chargeHeld, withinWindow } from './tenant-usage.js';

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
  const nodes = snapshot.nodes.map((node) =>
    node.id === placement.nodeId ? placedNode(node, job, placement, snapshot.nowMs, breaker) : node,
  );
  const tenants = snapshot.tenants.map((t) =>
    t.id === job.tenantId ? chargedTenant(t, job, snapshot.nowMs) : t,
  );
  return {
    ...snapshot,
    nodes,
    tenants,
    running: [...snapshot.running, runningJobOf(job, placement, snapshot.nowMs)],
  };
}

/** A snapshot whose lists belong to one pass alone, so its placements can update them in place. */
export interface PassSnapshot extends FleetSnapshot {
  readonly nodes: NodeSnapshot[];
  readonly tenants: TenantSnapshot[];
  readonly running: RunningJob[];
  /** Per tenant, the rate window this pass grows (copied from the snapshot at its first placement). */
  readonly rateWindows: Map<string, number[]>;
}

/** Copies the lists (not the nodes, tenants or jobs in them) for `placeInPass`. */
export function ownedBy(snapshot: FleetSnapshot): PassSnapshot {
  return {
    ...snapshot,
    nodes: [...snapshot.nodes],
    tenants: [...snapshot.tenants],
    running: [...snapshot.running],
    rateWindows: new Map(),
  };
}

/** The pass's snapshot as a plain `FleetSnapshot` again, for whoever reads it after the pass. */
export function settled(working: PassSnapshot): FleetSnapshot {
  const { rateWindows, ...snapshot } = working;
  void rateWindows;
  return snapshot;
}

/**
 * `applyPlacement` for a pass: the same result, written into the pass's own lists instead of
 * copying every list (the running jobs grow with the fleet) for each placement. Node and
 * tenant entries are replaced, never changed, so whoever holds the original snapshot sees it
 * as it was. One exception, inside the pass: a tenant's rate window is one list that the
 * pass appends to (all its placements share `nowMs`), where copying it for each placement
 * made a busy tenant's pass quadratic; the tenant entries this pass replaced share it.
 */
export function placeInPass(
  working: PassSnapshot,
  job: JobSpec,
  placement: Placement,
  breaker: BreakerConfig = DEFAULT_BREAKER_CONFIG,
): void {
  const { nodes, tenants, nowMs } = working;
  const index = fleetIndexOf(nodes);
  const position = index?.position(placement.nodeId);
  if (index && position !== undefined) {
    nodes[position] = placedNode(nodes[position] as NodeSnapshot, job, placement, nowMs, breaker);
    index.replaced(position);
    index.countJob(job.tenantId, placement.nodeId);
  } else {
    for (let i = 0; i < nodes.length; i += 1) {
      const node = nodes[i] as NodeSnapshot;
      if (node.id === placement.nodeId) nodes[i] = placedNode(node, job, placement, nowMs, breaker);
    }
  }
  for (let i = 0; i < tenants.length; i += 1) {
    const tenant = tenants[i] as TenantSnapshot;
    if (tenant.id === job.tenantId) {
      tenants[i] = { ...tenant, usage: chargeHeld(tenant.usage, job, passWindow(working, tenant, job)) };
    }
  }
  working.running.push(runningJobOf(job, placement, nowMs));
}

function passWindow(working: PassSnapshot, tenant: TenantSnapshot, job: JobSpec): readonly number[] {
  const recent = tenant.usage.recentSubmissionsMs;
  if (!countsTowardRate(job.affinity)) return recent;
  let window = working.rateWindows.get(tenant.id);
  if (window === undefined || window !== recent) {
    window = [...withinWindow(recent, working.nowMs)];
    working.rateWindows.set(tenant.id, window);
  }
  window.push(working.nowMs);
  return window;
}

function placedNode(
  node: NodeSnapshot,
  job: JobSpec,
  placement: Placement,
  nowMs: number,
  breaker: BreakerConfig,
): NodeSnapshot {
  const deviceIds = placement.target === 'gpu' ? placement.deviceIds : [];
  const updated: NodeSnapshot = {
    ...node,
    devices:
      deviceIds.length === 0
        ? node.devices
        : node.devices.map((d) =>
            deviceIds.includes(d.id) ? { ...d, freeVramBytes: d.freeVramBytes - job.vramBytesPerDevice } : d,
          ),
    ...(node.breaker ? { breaker: breakerOnPlacement(node.breaker, nowMs, breaker) } : {}),
  };
  if (placement.target === 'cpu' && node.cpuSlots) {
    return { ...updated, cpuSlots: { ...node.cpuSlots, free: node.cpuSlots.free - 1 } };
  }
  return updated;
}

function runningJobOf(job: JobSpec, placement: Placement, nowMs: number): RunningJob {
  return {
    jobId: job.id,
    tenantId: job.tenantId,
    nodeId: placement.nodeId,
    deviceIds: placement.target === 'gpu' ? placement.deviceIds : [],
    vramBytesPerDevice: placement.target === 'gpu' ? job.vramBytesPerDevice : 0,
    priority: job.priority,
    preemptible: job.preemptible,
    startedAtMs: nowMs,
    ...(job.estimatedDurationMs === undefined ? {} : { estimatedDurationMs: job.estimatedDurationMs }),
    ...(placement.borrowing && placement.borrowing.length > 0 ? { borrowed: true as const } : {}),
  };
}

/**
 * A CPU-fallback job is still charged as submitted: quotas bound what a tenant asks for, and
 * the job may move back to a GPU on retry.
 */
function chargedTenant(tenant: TenantSnapshot, job: JobSpec, nowMs: number): TenantSnapshot {
  return { ...tenant, usage: chargeAdmission(tenant.usage, job, nowMs) };
}
