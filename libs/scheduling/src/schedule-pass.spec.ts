import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { effectiveQuota } from './quota.js';
import { canonicalJson } from './canonical-json.js';
import { PASS_STEP, passSteps, replayPass, schedulePass } from './schedule-pass.js';
import { planToJob } from './simulate.js';
import type { JobSpec } from './snapshot.types.js';
import {
  aDevice,
  aFleet,
  aJob,
  aNode,
  aRunningJob,
  aTenant,
  EMPTY_USAGE,
  GENEROUS_QUOTA,
} from './testing/fixtures.js';
import { fleetArb, planArb } from './testing/fleet-arbitraries.js';
import { GIB } from './units.js';

const NOW = 1_000_000;

describe('schedulePass', () => {
  it('decides in steps exactly as in one go, yielding after every PASS_STEP decisions', () => {
    const fleet = aFleet({
      nowMs: NOW,
      nodes: [aNode({ id: 'n1', devices: [aDevice({ freeVramBytes: 80 * GIB })] })],
    });
    const queue = Array.from({ length: 2 * PASS_STEP + 3 }, (_, i) =>
      aJob({ id: `j${String(i).padStart(3, '0')}`, vramBytesPerDevice: GIB, submittedAtMs: i }),
    );
    const steps = passSteps(fleet, queue, { seed: 7 });
    const yielded: number[] = [];
    let step = steps.next();
    while (!step.done) {
      yielded.push(step.value);
      step = steps.next();
    }
    expect(yielded).toEqual([PASS_STEP, 2 * PASS_STEP]);
    expect(canonicalJson(step.value)).toBe(canonicalJson(schedulePass(fleet, queue, { seed: 7 })));
    const kinds = new Set(step.value.decisions.map((d) => d.decision.kind));
    expect([...kinds].sort()).toEqual(['place', 'wait']);
  });

  it('never hands the same room to two jobs', () => {
    const fleet = aFleet({ nowMs: NOW, nodes: [aNode({ devices: [aDevice({ freeVramBytes: 50 * GIB })] })] });
    const queue = [
      aJob({ id: 'a', vramBytesPerDevice: 30 * GIB }),
      aJob({ id: 'b', vramBytesPerDevice: 30 * GIB, submittedAtMs: 1 }),
    ];
    const pass = schedulePass(fleet, queue, { seed: 1, preemption: false });
    expect(pass.decisions.map((d) => [d.jobId, d.decision.kind])).toEqual([
      ['a', 'place'],
      ['b', 'wait'],
    ]);
    expect(pass.snapshot.nodes[0]?.devices[0]?.freeVramBytes).toBe(20 * GIB);
    expect(pass.snapshot.running.map((r) => r.jobId)).toEqual(['a']);
    expect(fleet.running).toEqual([]);
  });

  it('decides in priority order and charges the tenant as it goes', () => {
    const tenant = aTenant({ quota: { ...GENEROUS_QUOTA, concurrentJobs: 1 } });
    const fleet = aFleet({ nowMs: NOW, tenants: [tenant] });
    const queue = [
      aJob({ id: 'later', priority: 'low' }),
      aJob({ id: 'first', priority: 'high', submittedAtMs: 9 }),
    ];
    const pass = schedulePass(fleet, queue, { seed: 1 });
    expect(pass.decisions.map((d) => [d.jobId, d.decision.kind])).toEqual([
      ['first', 'place'],
      ['later', 'wait'],
    ]);
    expect(pass.snapshot.tenants[0]?.usage.runningJobs).toBe(1);
  });

  it('preempts and hands the victims back for requeueing; their room stays held until they stop', () => {
    const fleet = aFleet({
      nowMs: NOW,
      nodes: [aNode({ devices: [aDevice({ freeVramBytes: 0 })] })],
      running: [
        aRunningJob({ jobId: 'batch', priority: 'background', vramBytesPerDevice: 80 * GIB, startedAtMs: 0 }),
      ],
      tenants: [
        aTenant(),
        aTenant({ id: 'tenant-b', usage: { ...EMPTY_USAGE, vramBytes: 80 * GIB, gpus: 1, runningJobs: 1 } }),
      ],
    });
    const pass = schedulePass(
      fleet,
      [aJob({ id: 'urgent', priority: 'realtime', vramBytesPerDevice: 40 * GIB })],
      { seed: 1 },
    );
    expect(pass.decisions[0]?.decision.kind).toBe('preempt');
    expect(pass.requeue.map((v) => v.jobId)).toEqual(['batch']);
    // The victim holds its room as a stopping run; the job waits for its node to confirm.
    expect(pass.snapshot.running).toEqual([
      expect.objectContaining({ jobId: 'batch:stopping', stopping: true, preemptible: false }),
    ]);
    expect(pass.snapshot.nodes[0]?.devices[0]?.freeVramBytes).toBe(0);
    // The victim's job is back in the queue: it no longer counts as its tenant's running work.
    expect(pass.snapshot.tenants[1]?.usage).toMatchObject({ vramBytes: 0, gpus: 0, runningJobs: 0 });
  });

  it('waits on a run already stopping rather than preempting another', () => {
    const fleet = aFleet({
      nowMs: NOW,
      nodes: [aNode({ devices: [aDevice({ freeVramBytes: 0 })] })],
      running: [
        aRunningJob({
          jobId: 'gone:stopping',
          priority: 'background',
          vramBytesPerDevice: 40 * GIB,
          startedAtMs: NOW,
          preemptible: false,
          stopping: true,
        }),
        aRunningJob({ jobId: 'batch', priority: 'background', vramBytesPerDevice: 40 * GIB, startedAtMs: 0 }),
      ],
    });
    const pass = schedulePass(
      fleet,
      [aJob({ id: 'urgent', priority: 'realtime', vramBytesPerDevice: 40 * GIB })],
      { seed: 1 },
    );
    const decision = pass.decisions[0]?.decision;
    expect(decision?.kind).toBe('preempt');
    expect(decision?.kind === 'preempt' && decision.plan.victims.map((v) => [v.jobId, v.stopping])).toEqual([
      ['gone:stopping', true],
    ]);
    // Nothing new is stopped.
    expect(pass.requeue).toEqual([]);
  });

  it('stops a lower-priority CPU job for a job that may run on the CPU when no slot is free', () => {
    const fleet = aFleet({
      nowMs: NOW,
      nodes: [aNode({ devices: [], cpuSlots: { total: 1, free: 0 } })],
      running: [
        aRunningJob({
          jobId: 'cpu-batch',
          priority: 'background',
          deviceIds: [],
          vramBytesPerDevice: 0,
          startedAtMs: 0,
        }),
      ],
    });
    const pass = schedulePass(
      fleet,
      [aJob({ id: 'urgent', priority: 'high', vramBytesPerDevice: 0, cpuFallbackAllowed: true })],
      { seed: 1 },
    );
    const decision = pass.decisions[0]?.decision;
    expect(decision?.kind === 'preempt' && decision.plan).toMatchObject({
      target: 'cpu',
      deviceIds: [],
      victims: [expect.objectContaining({ jobId: 'cpu-batch' })],
    });
    expect(pass.requeue.map((v) => v.jobId)).toEqual(['cpu-batch']);
  });

  it('replays against its own log, and notices a different seed', () => {
    const fleet = aFleet({ nowMs: NOW, nodes: ['a', 'b', 'c', 'd'].map((id) => aNode({ id })) });
    const queue = ['j1', 'j2', 'j3'].map((id) => aJob({ id }));
    const log = schedulePass(fleet, queue, { seed: 5 }).decisions.map((d) => d.record);
    expect(replayPass(log, fleet, queue, { seed: 5 })).toEqual({ ok: true });
    expect(replayPass(log, fleet, queue, { seed: 6 })).toMatchObject({ ok: false, position: 0 });
  });
});

describe('schedulePass properties', () => {
  it('never over-commits a device or a CPU slot, never pushes a tenant past its GPU quota, and holds preempted room', () => {
    fc.assert(
      fc.property(fleetArb, fc.array(planArb, { maxLength: 8 }), fc.integer(), (fleet, plans, seed) => {
        const queue: JobSpec[] = plans.map((plan, i) => ({
          ...planToJob(plan, fleet.nowMs),
          id: `q${i}`,
          preemptible: i % 2 === 0,
        }));
        const pass = schedulePass(fleet, queue, { seed });
        expect(new Set(pass.decisions.map((d) => d.jobId)).size).toBe(queue.length);
        for (const node of pass.snapshot.nodes) {
          for (const device of node.devices) expect(device.freeVramBytes).toBeGreaterThanOrEqual(0);
          expect(node.cpuSlots?.free ?? 0).toBeGreaterThanOrEqual(0);
        }
        for (const tenant of pass.snapshot.tenants) {
          const before = fleet.tenants.find((t) => t.id === tenant.id)?.usage.gpus ?? 0;
          expect(tenant.usage.gpus).toBeLessThanOrEqual(Math.max(before, effectiveQuota(tenant).gpus));
        }
        const placed = pass.decisions.filter((d) => d.decision.kind === 'place');
        const runningIds = pass.snapshot.running.map((r) => r.jobId);
        for (const p of placed) expect(runningIds.filter((id) => id === p.jobId)).toHaveLength(1);
        // A job that preempted waits for its victims to stop; they keep their room meanwhile.
        for (const d of pass.decisions) {
          if (d.decision.kind !== 'preempt') continue;
          expect(runningIds).not.toContain(d.jobId);
          for (const v of d.decision.plan.victims)
            expect(runningIds).toContain(v.stopping ? v.jobId : `${v.jobId}:stopping`);
        }
        const log = pass.decisions.map((d) => d.record);
        expect(replayPass(log, fleet, [...queue].reverse(), { seed })).toEqual({ ok: true });
      }),
      { numRuns: 200 },
    );
  });
});
