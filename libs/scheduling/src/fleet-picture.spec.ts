import { describe, expect, it } from '@jest/globals';
import type { HeartbeatDevice, NodeHeartbeat } from '@voxelfleet/contracts';
import {
  adminStateOf,
  fleetPicture,
  nodeSnapshotOf,
  nodeStateOf,
  type NodeReport,
  type NodeSnapshotMemo,
} from './fleet-picture.js';
import type { RunningJob } from './snapshot.types.js';

const GIB = 2 ** 30;

function device(index: number, overrides: Partial<HeartbeatDevice> = {}): HeartbeatDevice {
  return {
    index,
    uuid: `GPU-${index}`,
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
      utilization: 0.5,
      temperatureC: 60,
      powerW: 300,
      smClockMhz: 1800,
      throttling: false,
      xidErrors: 0,
    },
    pool: {
      capacityBytes: 70 * GIB,
      allocatedBytes: 0,
      peakBytes: 0,
      largestFreeBlockBytes: 70 * GIB,
      byTenant: {},
      allocations: 0,
      allocationFailures: 0,
      softOoms: 0,
      hardOoms: 0,
    },
    healthy: true,
    ...overrides,
  };
}

function report(overrides: Partial<NodeHeartbeat> = {}, control?: NodeReport['control']): NodeReport {
  return {
    nodeId: 'n1',
    heartbeat: {
      nodeId: 'n1',
      hostname: 'host',
      sentAt: 0,
      state: 'ready',
      cpu: { cores: 8, load1: 0, slots: { total: 4, free: 4 } },
      devices: [device(0), device(1)],
      runningJobs: 0,
      ...overrides,
    },
    receivedAtMs: 1_000,
    ...(control === undefined ? {} : { control }),
  };
}

const running = (overrides: Partial<RunningJob>): RunningJob => ({
  jobId: 'j',
  tenantId: 't',
  nodeId: 'n1',
  deviceIds: [],
  vramBytesPerDevice: 0,
  priority: 'normal',
  preemptible: false,
  startedAtMs: 0,
  ...overrides,
});

describe('node state', () => {
  it('lets an operator cordon or drain whatever the node says', () => {
    expect(adminStateOf('cordoned', 'ready')).toBe('cordoned');
    expect(adminStateOf('cordoned', 'draining')).toBe('cordoned');
    expect(adminStateOf('draining', 'ready')).toBe('draining');
  });

  it('treats a node that drains itself (shutting down) as draining, even after an uncordon', () => {
    expect(adminStateOf(undefined, 'draining')).toBe('draining');
    expect(adminStateOf('ready', 'draining')).toBe('draining');
    expect(adminStateOf(undefined, 'ready')).toBe('ready');
  });

  it('is lost after the timeout whatever the operator set, and without any heartbeat', () => {
    expect(nodeStateOf(report({}, 'cordoned'), 7_000, 5_000)).toBe('lost');
    expect(nodeStateOf(report({}, 'cordoned'), 2_000, 5_000)).toBe('cordoned');
    expect(nodeStateOf({ nodeId: 'n9', control: 'ready' }, 0, 5_000)).toBe('lost');
  });

  it('measures silence up to the freshest heartbeat of any node', () => {
    // The receiver stalled: every node looks late by the clock, none by the freshest heartbeat.
    expect(nodeStateOf(report(), 7_000, 5_000, 1_500)).toBe('ready');
    expect(nodeStateOf(report(), 7_000, 5_000)).toBe('lost');
  });
});

describe('nodeSnapshotOf', () => {
  it('offers the pool less what placed and running jobs reserved, per device', () => {
    const snapshot = nodeSnapshotOf(report(), 'ready', [
      running({ jobId: 'a', deviceIds: ['0'], vramBytesPerDevice: 30 * GIB }),
      running({ jobId: 'b', deviceIds: ['0'], vramBytesPerDevice: 10 * GIB }),
      running({ jobId: 'c', nodeId: 'other', deviceIds: ['1'], vramBytesPerDevice: 50 * GIB }),
    ]);
    expect(snapshot.devices.map((d) => [d.id, d.freeVramBytes])).toEqual([
      ['0', 30 * GIB],
      ['1', 70 * GIB],
    ]);
    expect(snapshot.devices[0]?.capability.memoryBytes).toBe(80 * GIB);
  });

  it('never offers more than the node reports free: memory held outside any job is not there', () => {
    const pool = device(0).pool;
    const held = report({
      devices: [
        device(0, {
          memoryFreeBytes: 60 * GIB,
          ...(pool ? { pool: { ...pool, capacityBytes: 76 * GIB, allocatedBytes: 20 * GIB } } : {}),
        }),
        device(1, { memoryFreeBytes: 6 * GIB }),
      ],
    });
    const idle = nodeSnapshotOf(held, 'ready', []);
    expect(idle.devices.map((d) => d.freeVramBytes)).toEqual([56 * GIB, 6 * GIB]);
    // A placed job that has not allocated yet still takes its room.
    const loaded = nodeSnapshotOf(held, 'ready', [
      running({ deviceIds: ['0'], vramBytesPerDevice: 70 * GIB }),
    ]);
    expect(loaded.devices[0]?.freeVramBytes).toBe(6 * GIB);
  });

  it('leaves out unhealthy devices and devices that do not say what they are', () => {
    const { capability: _none, ...bare } = device(2);
    const snapshot = nodeSnapshotOf(
      report({ devices: [device(0, { healthy: false }), device(1), bare] }),
      'ready',
      [],
    );
    expect(snapshot.devices.map((d) => d.id)).toEqual(['1']);
    expect(snapshot.devices[0]?.capability.vendor).toBe('nvidia');
  });

  it('counts CPU-path jobs against the slots, whatever free count the node last reported', () => {
    const snapshot = nodeSnapshotOf(
      report({ cpu: { cores: 8, load1: 0, slots: { total: 4, free: 0 } } }),
      'ready',
      [
        running({ jobId: 'cpu-1' }),
        running({ jobId: 'cpu-2' }),
        running({ jobId: 'gpu', deviceIds: ['1'], vramBytesPerDevice: GIB }),
      ],
    );
    expect(snapshot.cpuSlots).toEqual({ total: 4, free: 2 });
  });

  it('never reports negative room, and falls back to the core count without slots', () => {
    const snapshot = nodeSnapshotOf(report({ cpu: { cores: 2, load1: 0 } }), 'lost', [
      running({ jobId: 'a' }),
      running({ jobId: 'b' }),
      running({ jobId: 'c' }),
    ]);
    expect(snapshot.cpuSlots).toEqual({ total: 2, free: 0 });
    expect(snapshot.state).toBe('lost');
  });

  it('offers nothing on a node known only from an operator control', () => {
    expect(nodeSnapshotOf({ nodeId: 'n9', control: 'cordoned' }, 'lost', [])).toEqual({
      id: 'n9',
      state: 'lost',
      devices: [],
    });
  });
});

describe('fleetPicture', () => {
  const second: NodeReport = {
    ...report(),
    nodeId: 'n0',
    heartbeat: { ...(report().heartbeat as NodeHeartbeat), nodeId: 'n0' },
  };

  it('lists every node in id order with its state and the jobs on it', () => {
    const nodes = fleetPicture({
      reports: [report({}, 'cordoned'), second],
      running: [running({ nodeId: 'n0', deviceIds: ['0'], vramBytesPerDevice: 10 * GIB })],
      nowMs: 2_000,
      lostAfterMs: 5_000,
      performanceOf: (id) => (id === 'n1' ? { samples: 3, successRate: 1, speedFactor: 1 } : undefined),
    });
    expect(nodes.map((n) => [n.id, n.state, n.devices[0]?.freeVramBytes])).toEqual([
      ['n0', 'ready', 60 * GIB],
      ['n1', 'cordoned', 70 * GIB],
    ]);
    expect(nodes[1]?.performance).toEqual({ samples: 3, successRate: 1, speedFactor: 1 });
  });

  it('asks the memo for each node, so a cache can hand an unchanged snapshot out again', () => {
    const seen: string[] = [];
    const memo: NodeSnapshotMemo = {
      of: (r, state, _jobs, _perf, build) => {
        seen.push(`${r.nodeId}:${state}`);
        return build();
      },
    };
    fleetPicture({ reports: [second, report()], running: [], nowMs: 9_000, lostAfterMs: 5_000, memo });
    expect(seen).toEqual(['n0:lost', 'n1:lost']);
  });
});
