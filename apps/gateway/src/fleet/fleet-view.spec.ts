import { describe, expect, it } from '@jest/globals';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import type { NodeControlRecord } from '@voxelfleet/persistence';
import { fleetPicture } from '@voxelfleet/scheduling';
import { nodeReportOf } from './fleet-snapshot.js';
import { gpuEventsBetween } from './gpu-events.js';
import { fleetStats } from './gpu-stats.js';
import { nodeViewOf, type HeartbeatRecord } from './node-view.js';
import { heldOnDevices } from '../usage/tenant-usage.source.js';

const GiB = 2 ** 30;

function beat(nodeId: string, overrides: Partial<NodeHeartbeat> = {}): NodeHeartbeat {
  return {
    nodeId,
    hostname: nodeId,
    sentAt: 0,
    state: 'ready',
    cpu: { cores: 8, load1: 0, slots: { total: 2, free: 1 } },
    runningJobs: 1,
    fallbacks: 0,
    devices: [
      {
        index: 0,
        uuid: 'GPU-0',
        name: 'H100',
        memoryTotalBytes: 80 * GiB,
        memoryFreeBytes: 60 * GiB,
        telemetry: {
          utilization: 0.5,
          temperatureC: 60,
          powerW: 300,
          smClockMhz: 1900,
          throttling: false,
          xidErrors: 0,
        },
        pool: {
          capacityBytes: 76 * GiB,
          allocatedBytes: 20 * GiB,
          peakBytes: 30 * GiB,
          largestFreeBlockBytes: 50 * GiB,
          byTenant: { t1: 15 * GiB, t2: 5 * GiB },
          allocations: 4,
          allocationFailures: 1,
          softOoms: 1,
          hardOoms: 0,
        },
        healthy: true,
      },
      { index: 1, uuid: 'GPU-1', name: 'H100', memoryTotalBytes: 80 * GiB, memoryFreeBytes: 80 * GiB },
    ],
    ...overrides,
  };
}

const record = (heartbeat: NodeHeartbeat, receivedAtMs: number): HeartbeatRecord => ({
  heartbeat,
  firstSeenAtMs: 0,
  receivedAtMs,
});
const control = (state: NodeControlRecord['state']): NodeControlRecord => ({
  nodeId: 'n1',
  state,
  reason: 'r',
  updatedAt: new Date(0),
  updatedBy: 'op',
});

describe('nodeViewOf', () => {
  it('is lost after the timeout whatever the operator set', () => {
    expect(nodeViewOf(record(beat('n1'), 1_000), control('cordoned'), 7_000, 5_000).state).toBe('lost');
    expect(nodeViewOf(undefined, control('ready'), 0, 5_000)).toMatchObject({
      state: 'lost',
      nodeId: 'n1',
      lastHeartbeatAt: null,
    });
  });

  it('lets a cordon or drain win over the node, and a draining node over an uncordon', () => {
    expect(nodeViewOf(record(beat('n1'), 1_000), control('cordoned'), 2_000, 5_000).state).toBe('cordoned');
    expect(nodeViewOf(record(beat('n1'), 1_000), control('draining'), 2_000, 5_000).state).toBe('draining');
    const selfDraining = beat('n1', { state: 'draining' });
    expect(nodeViewOf(record(selfDraining, 1_000), control('ready'), 2_000, 5_000).state).toBe('draining');
    expect(nodeViewOf(record(beat('n1'), 1_000), undefined, 2_000, 5_000).state).toBe('ready');
  });
});

describe('fleetStats', () => {
  it('sums devices and says which node is lost', () => {
    const live = nodeViewOf(record(beat('n1'), 1_000), undefined, 1_000, 5_000);
    const lost = nodeViewOf(record(beat('n2', { fallbacks: 3 }), 0), undefined, 10_000, 5_000);
    const stats = fleetStats([live, lost], 10_000);
    expect(stats.totals).toMatchObject({
      nodes: 2,
      nodesByState: { ready: 1, draining: 0, cordoned: 0, lost: 1 },
      devices: 4,
      healthyDevices: 2,
      vramTotalBytes: 320 * GiB,
      // Pool-reported use where there is a pool, driver-reported otherwise.
      vramUsedBytes: 40 * GiB,
      allocationsFailed: 2,
      softOoms: 2,
      cpuFallbacks: 3,
      meanUtilization: 0.5,
      maxTemperatureC: 60,
    });
    expect(stats.nodes[0]?.devices[1]).toMatchObject({ utilization: null, vram: { usedBytes: 0 } });
  });
});

describe('gpuEventsBetween', () => {
  it('takes a first report as the baseline', () => {
    expect(gpuEventsBetween(undefined, beat('n1'))).toEqual([]);
  });

  it('reports increases of failure counters and a device going unhealthy', () => {
    const next = beat('n1', { fallbacks: 2 });
    const pool = next.devices[0]?.pool;
    if (pool) {
      pool.softOoms = 3;
      pool.hardOoms = 1;
    }
    const dev1 = next.devices[1];
    if (dev1) dev1.healthy = false;
    const events = gpuEventsBetween(beat('n1'), next);
    expect(events.map((e) => [e.action, e.deviceIndex, e.count])).toEqual([
      ['gpu.cpu-fallback', null, 2],
      ['gpu.oom.soft', 0, 2],
      ['gpu.oom.hard', 0, 1],
      ['gpu.device-lost', 1, 1],
    ]);
    // Already unhealthy: not reported again.
    expect(gpuEventsBetween(next, next)).toEqual([]);
  });

  it('treats a counter going down as a node restart', () => {
    const restarted = beat('n1', { fallbacks: 1 });
    expect(gpuEventsBetween(beat('n1', { fallbacks: 9 }), restarted)).toMatchObject([
      { action: 'gpu.cpu-fallback', count: 1 },
    ]);
  });
});

describe('held VRAM and snapshots', () => {
  it('counts VRAM and devices held per tenant, ignoring lost nodes and unknown tenants', () => {
    const live = nodeViewOf(record(beat('n1'), 1_000), undefined, 1_000, 5_000);
    const lost = nodeViewOf(record(beat('n2'), 0), undefined, 10_000, 5_000);
    const held = heldOnDevices([live, lost], ['t1', 't3']);
    expect(held.get('t1')).toEqual({ vramBytes: 15 * GiB, devices: 1 });
    expect(held.get('t3')).toEqual({ vramBytes: 0, devices: 0 });
    expect(held.has('t2')).toBe(false);
  });

  it('hands heartbeats and operator controls to the fleet picture as they are', () => {
    const heartbeat = beat('n1');
    const cordoned = nodeReportOf('n1', record(heartbeat, 1_000), control('cordoned'));
    expect(cordoned).toEqual({ nodeId: 'n1', heartbeat, receivedAtMs: 1_000, control: 'cordoned' });
    const nodes = fleetPicture({
      reports: [cordoned, nodeReportOf('n2', undefined, control('draining'))],
      running: [],
      nowMs: 2_000,
      lostAfterMs: 5_000,
    });
    // Only devices that say what they are are offered: beat()'s devices do not.
    expect(nodes).toEqual([
      { id: 'n1', state: 'cordoned', devices: [], cpuSlots: { total: 2, free: 2 } },
      { id: 'n2', state: 'lost', devices: [] },
    ]);
  });
});
