import { describe, expect, it } from '@jest/globals';
import { decideJob, replayJobDecision, snapshotDigest, type SchedulingOptions } from './decide-job.js';
import { planToJob, simulate, type SimulationPlan } from './simulate.js';
import type { FleetSnapshot } from './snapshot.types.js';
import {
  AMPERE_40G,
  aDevice,
  aFleet,
  aNode,
  aRunningJob,
  aTenant,
  EMPTY_USAGE,
  GENEROUS_QUOTA,
} from './testing/fixtures.js';
import { GIB } from './units.js';

const NOW = 1_000_000;
const plan: SimulationPlan = {
  tenantId: 'tenant-a',
  vramBytesPerDevice: 20 * GIB,
  gpus: 1,
  priority: 'normal',
};

describe('simulate', () => {
  it('says where a fitting job would start, now, and that nothing changed', () => {
    const result = simulate(aFleet({ nowMs: NOW }), plan);
    expect(result).toMatchObject({
      dryRun: true,
      outcome: 'would-start',
      admitted: true,
      placement: { target: 'gpu', nodeId: 'node-1', deviceIds: ['gpu-0'] },
      estimatedStartMs: NOW,
      preempted: [],
    });
    expect(result.decision.inputsDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects what can never fit, with the reason', () => {
    const result = simulate(aFleet(), { ...plan, vramBytesPerDevice: 100 * GIB });
    expect(result).toMatchObject({ outcome: 'rejected', admitted: false, estimatedStartMs: null });
    expect(result.rejection?.code).toBe('exceeds-quota');
  });

  it('names the blocking quota with its shortfall and estimates the start from the tenant’s running jobs', () => {
    const tenant = aTenant({
      quota: { ...GENEROUS_QUOTA, vramBytesTotal: 32 * GIB },
      usage: { ...EMPTY_USAGE, vramBytes: 24 * GIB, gpus: 1, runningJobs: 1 },
    });
    const running = [
      aRunningJob({
        tenantId: 'tenant-a',
        vramBytesPerDevice: 24 * GIB,
        startedAtMs: NOW - 1_000,
        estimatedDurationMs: 61_000,
      }),
    ];
    const fleet = aFleet({
      nowMs: NOW,
      tenants: [tenant],
      running,
      nodes: [aNode({ devices: [aDevice({ freeVramBytes: 56 * GIB })] })],
    });
    const result = simulate(fleet, plan);
    expect(result).toMatchObject({ outcome: 'would-wait', admitted: false, estimatedStartMs: NOW + 60_000 });
    expect(result.blockers).toEqual([
      expect.objectContaining({ kind: 'quota', quota: 'vramBytesTotal', shortfall: 12 * GIB }),
    ]);
  });

  it('names the missing capacity and estimates when the device frees up', () => {
    const busy = aNode({ devices: [aDevice({ freeVramBytes: 10 * GIB })] });
    const running = [
      aRunningJob({
        jobId: 'r1',
        priority: 'high',
        vramBytesPerDevice: 30 * GIB,
        startedAtMs: NOW - 10_000,
        estimatedDurationMs: 40_000,
      }),
      aRunningJob({
        jobId: 'r2',
        priority: 'high',
        vramBytesPerDevice: 40 * GIB,
        startedAtMs: NOW,
        estimatedDurationMs: 5_000,
      }),
    ];
    const result = simulate(aFleet({ nowMs: NOW, nodes: [busy], running }), plan);
    expect(result).toMatchObject({ outcome: 'would-wait', admitted: true, estimatedStartMs: NOW + 5_000 });
    expect(result.blockers[0]).toMatchObject({
      kind: 'capacity',
      resource: 'device-vram',
      shortfall: 10 * GIB,
    });
  });

  it('reports an unknown start when running jobs have no estimate', () => {
    const busy = aNode({ devices: [aDevice({ freeVramBytes: 0 })] });
    const running = [aRunningJob({ priority: 'high', vramBytesPerDevice: 80 * GIB })];
    expect(simulate(aFleet({ nowMs: NOW, nodes: [busy], running }), plan).estimatedStartMs).toBeNull();
  });

  it('lists what a high-priority job would preempt', () => {
    const busy = aNode({ devices: [aDevice({ freeVramBytes: 0 })] });
    const running = [
      aRunningJob({
        jobId: 'batch',
        priority: 'background',
        vramBytesPerDevice: 80 * GIB,
        startedAtMs: NOW - 600_000,
      }),
    ];
    const result = simulate(aFleet({ nowMs: NOW, nodes: [busy], running }), { ...plan, priority: 'high' });
    expect(result).toMatchObject({ outcome: 'would-preempt', admitted: true, estimatedStartMs: NOW });
    expect(result.preempted.map((v) => v.jobId)).toEqual(['batch']);
    expect(result.decision).toMatchObject({
      kind: 'preemption',
      tenantId: 'tenant-a',
      affectedTenantIds: ['tenant-b'],
    });
    const noPreemption = simulate(
      aFleet({ nowMs: NOW, nodes: [busy], running }),
      { ...plan, priority: 'high' },
      { seed: 0, preemption: false },
    );
    expect(noPreemption.outcome).toBe('would-wait');
  });

  it('uses the tenant’s placement policy over the fleet’s', () => {
    const node = aNode({
      devices: [aDevice({ id: 'roomy' }), aDevice({ id: 'snug', freeVramBytes: 24 * GIB })],
    });
    const packer = aTenant({ placementPolicy: 'bin-pack' });
    const fleet = aFleet({ nodes: [node], tenants: [packer] });
    expect(simulate(fleet, plan, { seed: 0, policy: 'least-loaded' }).placement).toMatchObject({
      deviceIds: ['snug'],
    });
  });
});

describe('decideJob', () => {
  it('logs a decision that replays to the same choice', () => {
    const fleet: FleetSnapshot = aFleet({ nodes: ['a', 'b', 'c'].map((id) => aNode({ id })) });
    const options: SchedulingOptions = { seed: 'trace-7' };
    const job = planToJob(plan, fleet.nowMs);
    const { record } = decideJob(job, fleet, options);
    expect(record).toMatchObject({ kind: 'placement', tenantId: 'tenant-a', seed: 'trace-7' });
    const verdict = replayJobDecision(record, job, fleet, options);
    expect(verdict).toEqual({ ok: true });
    const precomputed = decideJob(job, fleet, { ...options, snapshotDigest: snapshotDigest(fleet) }).record;
    expect(precomputed.inputsDigest).toBe(record.inputsDigest);
    const moved = { ...fleet, nodes: fleet.nodes.slice(1) };
    expect(replayJobDecision(record, job, moved, options)).toMatchObject({ ok: false, mismatch: 'inputs' });
  });

  it('reports capacity blockers alongside quota ones, so a pending reason is complete', () => {
    const tenant = aTenant({
      quota: { ...GENEROUS_QUOTA, concurrentJobs: 1 },
      usage: { ...EMPTY_USAGE, runningJobs: 1 },
    });
    const fleet = aFleet({ tenants: [tenant], nodes: [aNode({ devices: [aDevice({ freeVramBytes: 0 })] })] });
    const { decision } = decideJob(planToJob(plan, fleet.nowMs), fleet, { seed: 0 });
    expect(decision.kind === 'wait' ? decision.blockers.map((b) => b.kind) : []).toEqual([
      'quota',
      'capacity',
    ]);
  });
});

describe('decideJob while a quota holds a job back', () => {
  it('measures capacity on devices of the requested class only', () => {
    const tenant = aTenant({
      quota: { ...GENEROUS_QUOTA, concurrentJobs: 1 },
      usage: { ...EMPTY_USAGE, runningJobs: 1 },
    });
    const node = aNode({
      devices: [
        aDevice({ id: 'hopper', freeVramBytes: 0 }),
        aDevice({ id: 'ampere', capability: AMPERE_40G }),
      ],
    });
    const fleet = aFleet({ tenants: [tenant], nodes: [node] });
    const job = planToJob({ ...plan, affinity: { deviceClass: 'arch=hopper' } }, fleet.nowMs);
    const { decision } = decideJob(job, fleet, { seed: 0 });
    expect(decision.kind === 'wait' ? decision.blockers.map((b) => b.kind) : []).toEqual([
      'quota',
      'capacity',
    ]);
  });
});
