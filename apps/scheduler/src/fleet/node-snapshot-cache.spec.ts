import { describe, expect, it } from '@jest/globals';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { nodeSnapshotOf, type NodeSnapshot, type NodeState, type RunningJob } from '@voxelfleet/scheduling';
import type { NodeRecord } from './fleet-view.js';
import { NodeSnapshotCache } from './node-snapshot-cache.js';

const GIB = 2 ** 30;

function heartbeat(overrides: Partial<NodeHeartbeat> = {}, temperatureC = 50): NodeHeartbeat {
  return {
    nodeId: 'n1',
    hostname: 'h',
    sentAt: Date.now(),
    state: 'ready',
    cpu: { cores: 8, load1: 0.5, slots: { total: 4, free: 4 } },
    devices: [
      {
        index: 0,
        uuid: 'GPU-0',
        name: 'H100',
        memoryTotalBytes: 80 * GIB,
        memoryFreeBytes: 80 * GIB,
        capability: {
          vendor: 'nvidia',
          architecture: 'hopper',
          computeCapability: { major: 9, minor: 0 },
          precisions: ['fp32', 'fp16'],
          tensorCores: true,
        },
        telemetry: {
          utilization: 0.1,
          temperatureC,
          powerW: 100,
          smClockMhz: 1800,
          throttling: false,
          xidErrors: 0,
        },
        healthy: true,
      },
    ],
    runningJobs: 0,
    ...overrides,
  };
}

const record = (beat: NodeHeartbeat): NodeRecord => ({
  nodeId: 'n1',
  heartbeat: beat,
  receivedAtMs: 0,
  control: 'ready',
  recordedState: 'ready',
});

const job: RunningJob = Object.freeze({
  jobId: 'j1',
  tenantId: 't',
  nodeId: 'n1',
  deviceIds: Object.freeze(['0']),
  vramBytesPerDevice: 8 * GIB,
  priority: 'normal',
  preemptible: false,
  startedAtMs: 0,
});

/** The cache as the fleet picture consults it. */
function snapshot(
  cache: NodeSnapshotCache,
  rec: NodeRecord,
  state: NodeState,
  jobs: readonly RunningJob[],
): NodeSnapshot {
  return cache.of(rec, state, jobs, undefined, () => nodeSnapshotOf(rec, state, jobs));
}

describe('NodeSnapshotCache', () => {
  it('keeps a node’s snapshot across heartbeats that change nothing placement reads', () => {
    const cache = new NodeSnapshotCache();
    const first = snapshot(cache, record(heartbeat()), 'ready', []);
    // A later heartbeat: new time, load and job list, same devices and slots.
    const later = heartbeat({
      sentAt: Date.now() + 1_000,
      runningJobIds: ['x'],
      cpu: { cores: 8, load1: 3, slots: { total: 4, free: 1 } },
    });
    expect(snapshot(cache, record(later), 'ready', [])).toBe(first);
    expect(Object.isFrozen(first.devices[0])).toBe(true);
  });

  it('builds a new snapshot when telemetry, state or the jobs holding room change', () => {
    const cache = new NodeSnapshotCache();
    const first = snapshot(cache, record(heartbeat()), 'ready', []);
    const hotter = snapshot(cache, record(heartbeat({}, 90)), 'ready', []);
    expect(hotter).not.toBe(first);
    expect(hotter.devices[0]?.temperatureC).toBe(90);
    const withJob = snapshot(cache, record(heartbeat({}, 90)), 'ready', [job]);
    expect(withJob.devices[0]?.freeVramBytes).toBe(72 * GIB);
    expect(snapshot(cache, record(heartbeat({}, 90)), 'ready', [job])).toBe(withJob);
    expect(snapshot(cache, record(heartbeat({}, 90)), 'lost', [job]).state).toBe('lost');
  });
});
