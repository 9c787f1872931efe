import type {
  BreakerState,
  NodeSnapshot,
  NodeState,
  PerformanceHistory,
  RunningJob,
} from '@voxelfleet/scheduling';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { toNodeSnapshot, type NodeRecord } from './fleet-view.js';

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
export class NodeSnapshotCache {
  private readonly entries = new Map<string, Entry>();

  of(
    record: NodeRecord,
    state: NodeState,
    jobs: readonly RunningJob[],
    performance: PerformanceHistory | undefined,
  ): NodeSnapshot {
    const entry = this.entries.get(record.nodeId);
    if (
      entry &&
      entry.heartbeat === record.heartbeat &&
      entry.state === state &&
      entry.breaker === record.breaker &&
      entry.performance === performance &&
      sameJobs(entry.jobs, jobs)
    ) {
      return entry.snapshot;
    }
    const built = toNodeSnapshot(record, state, jobs);
    const snapshot = deepFreeze(performance ? { ...built, performance } : built);
    this.entries.set(record.nodeId, {
      heartbeat: record.heartbeat,
      state,
      breaker: record.breaker,
      performance,
      jobs,
      snapshot,
    });
    return snapshot;
  }
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
