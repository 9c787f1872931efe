import type {
  BreakerState,
  NodeReport,
  NodeSnapshot,
  NodeSnapshotMemo,
  NodeState,
  PerformanceHistory,
  RunningJob,
} from '@voxelfleet/scheduling';
import type { HeartbeatDevice, NodeHeartbeat } from '@voxelfleet/contracts';

interface Entry {
  heartbeat: NodeHeartbeat;
  state: NodeState;
  breaker: BreakerState | undefined;
  performance: PerformanceHistory | undefined;
  /** The jobs holding room on the node when the snapshot was built (frozen entries of ActiveJobs). */
  jobs: readonly RunningJob[];
  snapshot: NodeSnapshot;
}

/**
 * Each node's last snapshot with what it was built from. A snapshot depends on the node's
 * heartbeat, state, breaker and history and on the jobs holding room there; while all of them
 * are the same objects the snapshot is too. ActiveJobs keeps an unchanged job's entry, so
 * comparing the lists entry by entry is exact.
 */
export class NodeSnapshotCache implements NodeSnapshotMemo {
  private readonly entries = new Map<string, Entry>();

  of(
    record: NodeReport,
    state: NodeState,
    jobs: readonly RunningJob[],
    performance: PerformanceHistory | undefined,
    build: () => NodeSnapshot,
  ): NodeSnapshot {
    const heartbeat = record.heartbeat;
    // Known only from a control (lost, offering nothing): nothing worth keeping.
    if (heartbeat === undefined) return deepFreeze(build());
    const entry = this.entries.get(record.nodeId);
    // A new heartbeat that says the same about everything placement reads leaves the
    // snapshot as it was: on a steady fleet nearly every heartbeat is such a one.
    if (entry && entry.heartbeat !== heartbeat && samePlacementFacts(entry.heartbeat, heartbeat)) {
      entry.heartbeat = heartbeat;
    }
    if (
      entry &&
      entry.heartbeat === heartbeat &&
      entry.state === state &&
      entry.breaker === record.breaker &&
      entry.performance === performance &&
      sameJobs(entry.jobs, jobs)
    ) {
      return entry.snapshot;
    }
    const snapshot = deepFreeze(build());
    this.entries.set(record.nodeId, {
      heartbeat,
      state,
      breaker: record.breaker,
      performance,
      jobs,
      snapshot,
    });
    return snapshot;
  }
}

/** Whether two heartbeats agree on every field the fleet picture (`nodeSnapshotOf`) reads. */
export function samePlacementFacts(a: NodeHeartbeat, b: NodeHeartbeat): boolean {
  if (a.nodeId !== b.nodeId || a.cpu.cores !== b.cpu.cores) return false;
  if ((a.cpu.slots?.total ?? -1) !== (b.cpu.slots?.total ?? -1)) return false;
  if (a.devices.length !== b.devices.length) return false;
  for (let i = 0; i < a.devices.length; i += 1) {
    const x = a.devices[i] as HeartbeatDevice;
    const y = b.devices[i] as HeartbeatDevice;
    if (
      x.index !== y.index ||
      x.healthy !== y.healthy ||
      x.memoryTotalBytes !== y.memoryTotalBytes ||
      x.memoryFreeBytes !== y.memoryFreeBytes ||
      x.pool?.capacityBytes !== y.pool?.capacityBytes ||
      x.pool?.allocatedBytes !== y.pool?.allocatedBytes ||
      x.telemetry?.utilization !== y.telemetry?.utilization ||
      x.telemetry?.temperatureC !== y.telemetry?.temperatureC ||
      x.telemetry?.throttling !== y.telemetry?.throttling ||
      !sameCapability(x.capability, y.capability)
    ) {
      return false;
    }
  }
  return true;
}

function sameCapability(a: HeartbeatDevice['capability'], b: HeartbeatDevice['capability']): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.vendor === b.vendor &&
    a.architecture === b.architecture &&
    a.tensorCores === b.tensorCores &&
    a.computeCapability?.major === b.computeCapability?.major &&
    a.computeCapability?.minor === b.computeCapability?.minor &&
    a.precisions.length === b.precisions.length &&
    a.precisions.every((p, i) => p === b.precisions[i])
  );
}

function sameJobs(a: readonly RunningJob[], b: readonly RunningJob[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** Frozen all the way down, so canonical JSON writes an unchanged node's text once. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const member of Object.values(value)) deepFreeze(member);
  return Object.freeze(value);
}
