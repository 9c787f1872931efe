import { describe, expect, it } from '@jest/globals';
import type { HeartbeatDevice, NodeHeartbeat } from '@voxelfleet/contracts';
import type { RunningJob } from '@voxelfleet/scheduling';
import { adminStateOf, toNodeSnapshot, type NodeRecord } from './fleet-view.js';

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

function record(
  overrides: Partial<NodeHeartbeat> = {},
  control: NodeRecord['control'] = 'ready',
): NodeRecord {
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
    receivedAtMs: 0,
    control,
    recordedState: 'ready',
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

describe('adminStateOf', () => {
  it('lets an operator cordon or drain whatever the node says', () => {
    expect(adminStateOf(record({}, 'cordoned'))).toBe('cordoned');
    expect(adminStateOf(record({ state: 'draining' }, 'cordoned'))).toBe('cordoned');
    expect(adminStateOf(record({}, 'draining'))).toBe('draining');
  });
  it('treats a node that drains itself (shutting down) as draining', () => {
    expect(adminStateOf(record({ state: 'draining' }))).toBe('draining');
    expect(adminStateOf(record())).toBe('ready');
  });
});

describe('toNodeSnapshot', () => {
  it('offers the pool less what this scheduler already placed, per device', () => {
    const snapshot = toNodeSnapshot(record(), 'ready', [
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

  it('leaves out unhealthy devices and counts CPU-path jobs against the slots', () => {
    const snapshot = toNodeSnapshot(
      record({ devices: [device(0, { healthy: false }), device(1)] }),
      'ready',
      [
        running({ jobId: 'cpu-1' }),
        running({ jobId: 'cpu-2' }),
        running({ jobId: 'gpu', deviceIds: ['1'], vramBytesPerDevice: GIB }),
      ],
    );
    expect(snapshot.devices.map((d) => d.id)).toEqual(['1']);
    expect(snapshot.cpuSlots).toEqual({ total: 4, free: 2 });
  });

  it('never reports negative room, and falls back to the core count without slots', () => {
    const snapshot = toNodeSnapshot(record({ cpu: { cores: 2, load1: 0 } }), 'lost', [
      running({ jobId: 'a' }),
      running({ jobId: 'b' }),
      running({ jobId: 'c' }),
    ]);
    expect(snapshot.cpuSlots).toEqual({ total: 2, free: 0 });
    expect(snapshot.state).toBe('lost');
  });
});
