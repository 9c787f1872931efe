import { describe, expect, it } from '@jest/globals';
import { choosePreemption, type PreemptionPolicy } from './preemption.js';
import type { RunningJob } from './snapshot.types.js';
import { aDevice, aJob, aNode, aRunningJob } from './testing/fixtures.js';
import { placementOptions } from './testing/placement-options.js';
import { GIB } from './units.js';

const NOW = 1_000_000;
const policy: PreemptionPolicy = { minRuntimeMs: 10_000, checkpointFreshMs: 60_000 };
const full = aNode({ devices: [aDevice({ freeVramBytes: 0 })] });
const urgent = aJob({ priority: 'high', vramBytesPerDevice: 20 * GIB });

function victim(id: string, gib: number, overrides: Partial<RunningJob> = {}): RunningJob {
  return aRunningJob({ jobId: id, vramBytesPerDevice: gib * GIB, startedAtMs: NOW - 100_000, ...overrides });
}

function choose(running: RunningJob[], job = urgent, nodes = [full]): string[] | null {
  const plan = choosePreemption(job, { nodes, running }, placementOptions({ nowMs: NOW }), policy);
  return plan === null ? null : plan.victims.map((v) => v.jobId);
}

describe('choosePreemption', () => {
  it('takes the fewest victims that free enough VRAM', () => {
    expect(choose([victim('a', 10), victim('b', 10), victim('c', 24)])).toEqual(['c']);
    expect(choose([victim('a', 10), victim('b', 10), victim('c', 5)])).toEqual(['a', 'b']);
  });

  it('among equally few, takes the newest (least work lost)', () => {
    const old = victim('old', 30, { startedAtMs: NOW - 500_000 });
    const young = victim('young', 30, { startedAtMs: NOW - 20_000 });
    expect(choose([old, young])).toEqual(['young']);
  });

  it('prefers a victim with a fresh checkpoint even when it is older', () => {
    const checkpointed = victim('checkpointed', 30, {
      startedAtMs: NOW - 500_000,
      lastCheckpointAtMs: NOW - 5_000,
    });
    const young = victim('young', 30, { startedAtMs: NOW - 20_000 });
    const stale = victim('stale', 30, { startedAtMs: NOW - 400_000, lastCheckpointAtMs: NOW - 300_000 });
    expect(choose([young, checkpointed, stale])).toEqual(['checkpointed']);
    const plan = choosePreemption(
      urgent,
      { nodes: [full], running: [checkpointed] },
      placementOptions({ nowMs: NOW }),
      policy,
    );
    expect(plan?.victims[0]).toMatchObject({ resumesFromCheckpoint: true, lostWorkMs: 5_000 });
  });

  it('never preempts equal or higher priority, non-preemptible, or too-young jobs', () => {
    expect(choose([victim('peer', 30, { priority: 'high' })])).toBeNull();
    expect(choose([victim('pinned', 30, { preemptible: false })])).toBeNull();
    expect(choose([victim('fresh', 30, { startedAtMs: NOW - 5_000 })])).toBeNull();
    expect(choose([victim('cpu', 30, { deviceIds: [] })])).toBeNull();
  });

  it('respects the job’s own constraints on where it may run', () => {
    const nodes = [
      full,
      aNode({ id: 'drained', state: 'draining', devices: [aDevice({ freeVramBytes: 0 })] }),
    ];
    expect(choose([victim('on-drained', 30, { nodeId: 'drained' })], urgent, nodes)).toBeNull();
    const pinned = aJob({ ...urgent, affinity: { nodeId: 'elsewhere' } });
    expect(choose([victim('a', 30)], pinned)).toBeNull();
  });

  it('counts free VRAM already on the device', () => {
    const halfFree = aNode({ devices: [aDevice({ freeVramBytes: 12 * GIB })] });
    expect(
      choose([victim('big', 30), victim('small', 8, { startedAtMs: NOW - 50_000 })], urgent, [halfFree]),
    ).toEqual(['small']);
  });

  it('frees enough devices on one node for a multi-GPU job', () => {
    const node = aNode({
      devices: [
        aDevice({ id: 'g0', freeVramBytes: 0 }),
        aDevice({ id: 'g1', freeVramBytes: 0 }),
        aDevice({ id: 'g2', freeVramBytes: 80 * GIB }),
      ],
    });
    const running = [
      victim('on-g0', 80, { deviceIds: ['g0'] }),
      victim('on-g1', 80, { deviceIds: ['g1'], startedAtMs: NOW - 50_000 }),
    ];
    const plan = choosePreemption(
      aJob({ ...urgent, gpus: 2 }),
      { nodes: [node], running },
      placementOptions({ nowMs: NOW }),
      policy,
    );
    expect(plan).toMatchObject({ nodeId: 'node-1', deviceIds: ['g2', 'g1'] });
    expect(plan?.victims.map((v) => v.jobId)).toEqual(['on-g1']);
  });

  it('returns null when even every candidate together is not enough', () => {
    expect(choose([victim('a', 5), victim('b', 5)])).toBeNull();
  });

  it('lets a critical-path boost count toward outranking', () => {
    const boosted = aJob({ priority: 'low', boost: 1, vramBytesPerDevice: 20 * GIB });
    expect(choose([victim('bg', 30, { priority: 'background' })], boosted)).toEqual(['bg']);
    expect(choose([victim('low', 30, { priority: 'low' })], boosted)).toEqual(['low']);
  });
});
