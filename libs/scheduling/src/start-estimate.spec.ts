import { describe, expect, it } from '@jest/globals';
import type { Blocker } from './blockers.js';
import { estimateStart } from './start-estimate.js';
import { aDevice, aJob, aNode, aRunningJob } from './testing/fixtures.js';
import { placementOptions } from './testing/placement-options.js';
import { GIB } from './units.js';

const NOW = 1_000_000;
const options = placementOptions({ nowMs: NOW });
const capacity: Blocker = {
  kind: 'capacity',
  resource: 'device-vram',
  needed: 0,
  available: 0,
  shortfall: 0,
  message: '',
};

describe('estimateStart', () => {
  it('is now when nothing blocks', () => {
    expect(estimateStart(aJob(), [], { nodes: [], running: [] }, options)).toEqual({
      atMs: NOW,
      basis: 'fits now',
    });
  });

  it('waits for the gpus-th device of one node to free up', () => {
    const node = aNode({ devices: ['g0', 'g1', 'g2'].map((id) => aDevice({ id, freeVramBytes: 0 })) });
    const running = [
      aRunningJob({
        jobId: 'a',
        deviceIds: ['g0'],
        vramBytesPerDevice: 80 * GIB,
        startedAtMs: NOW,
        estimatedDurationMs: 30_000,
      }),
      aRunningJob({
        jobId: 'b',
        deviceIds: ['g1'],
        vramBytesPerDevice: 80 * GIB,
        startedAtMs: NOW,
        estimatedDurationMs: 10_000,
      }),
      aRunningJob({
        jobId: 'c',
        deviceIds: ['g2'],
        vramBytesPerDevice: 80 * GIB,
        startedAtMs: NOW,
        estimatedDurationMs: 20_000,
      }),
    ];
    const estimate = estimateStart(aJob({ gpus: 2 }), [capacity], { nodes: [node], running }, options);
    expect(estimate.atMs).toBe(NOW + 20_000);
  });

  it('treats an overrunning job as ending now, and skips devices the job may not use', () => {
    const node = aNode({
      devices: [
        aDevice({ id: 'g0', freeVramBytes: 0 }),
        aDevice({
          id: 'cold',
          freeVramBytes: 80 * GIB,
          breaker: { kind: 'open', openedAtMs: NOW, consecutiveFailures: 5 },
        }),
      ],
    });
    const running = [
      aRunningJob({
        deviceIds: ['g0'],
        vramBytesPerDevice: 80 * GIB,
        startedAtMs: 0,
        estimatedDurationMs: 1_000,
      }),
    ];
    expect(estimateStart(aJob(), [capacity], { nodes: [node], running }, options).atMs).toBe(NOW);
  });

  it('waits for the tenant’s own jobs to end for a concurrency quota', () => {
    const quota: Blocker = {
      kind: 'quota',
      quota: 'concurrentJobs',
      limit: 2,
      used: 2,
      requested: 1,
      shortfall: 1,
      message: '',
    };
    const running = [
      aRunningJob({
        jobId: 'mine-late',
        tenantId: 'tenant-a',
        startedAtMs: NOW,
        estimatedDurationMs: 50_000,
      }),
      aRunningJob({ jobId: 'mine-soon', tenantId: 'tenant-a', startedAtMs: NOW, estimatedDurationMs: 5_000 }),
      aRunningJob({ jobId: 'theirs', tenantId: 'tenant-b', startedAtMs: NOW, estimatedDurationMs: 1_000 }),
    ];
    expect(estimateStart(aJob(), [quota], { nodes: [], running }, options).atMs).toBe(NOW + 5_000);
  });

  it('takes the latest of several blockers', () => {
    const rate: Blocker = {
      kind: 'quota',
      quota: 'jobsPerMinute',
      limit: 1,
      used: 1,
      requested: 1,
      shortfall: 1,
      clearsAtMs: NOW + 40_000,
      message: '',
    };
    const node = aNode({ devices: [aDevice({ freeVramBytes: 0 })] });
    const running = [
      aRunningJob({ vramBytesPerDevice: 80 * GIB, startedAtMs: NOW, estimatedDurationMs: 10_000 }),
    ];
    expect(estimateStart(aJob(), [rate, capacity], { nodes: [node], running }, options).atMs).toBe(
      NOW + 40_000,
    );
  });
});
