import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cohortMembers, cohortReport, planBorrowing } from './borrowing.js';
import { decideJob } from './decide-job.js';
import { schedulePass } from './schedule-pass.js';
import { effectiveLimit } from './quota.js';
import type { FleetSnapshot, TenantSnapshot, TenantUsage } from './snapshot.types.js';
import { simulate } from './simulate.js';
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

const NOW = 1_000_000;

function member(id: string, concurrentJobs: number, extra: Partial<TenantSnapshot> = {}): TenantSnapshot {
  return aTenant({ id, cohort: 'lab', quota: { ...GENEROUS_QUOTA, concurrentJobs }, ...extra });
}

function running(n: number): TenantUsage {
  return { ...EMPTY_USAGE, runningJobs: n };
}

const lender = member('tenant-a', 2);
const borrower = member('tenant-b', 0, { borrowingLimit: { concurrentJobs: 1 } });

function fleet(tenants: TenantSnapshot[], overrides: Partial<FleetSnapshot> = {}): FleetSnapshot {
  return aFleet({ nowMs: NOW, tenants, ...overrides });
}

describe('borrowing within a cohort', () => {
  it("places a job over its tenant's own quota on a cohort member's unused quota, and says so", () => {
    const job = aJob({ id: 'b-1', tenantId: 'tenant-b' });
    const { decision, record } = decideJob(job, fleet([lender, borrower]), { seed: 1 });
    expect(decision.kind).toBe('place');
    if (decision.kind !== 'place') return;
    expect(decision.placement.borrowing).toEqual([
      { quota: 'concurrentJobs', amount: 1, cohort: 'lab', from: [{ tenantId: 'tenant-a', amount: 1 }] },
    ]);
    expect(record.reason).toContain('borrows concurrentJobs 1 from cohort lab (tenant-a 1)');
  });

  it('does not borrow outside a cohort, nor from another cohort', () => {
    const job = aJob({ id: 'b-1', tenantId: 'tenant-b' });
    const alone = { ...borrower, cohort: undefined };
    expect(decideJob(job, fleet([lender, alone]), { seed: 1 }).decision.kind).toBe('reject');
    const elsewhere = { ...lender, cohort: 'other' };
    const { decision } = decideJob(job, fleet([elsewhere, borrower]), { seed: 1 });
    expect(decision.kind).toBe('wait');
    if (decision.kind !== 'wait') return;
    expect(decision.blockers[0]?.message).toContain('cohort lab can lend 0');
  });

  it('stops at the borrowing limit and at what the cohort leaves unused', () => {
    const job = aJob({ id: 'b-2', tenantId: 'tenant-b' });
    const atLimit = { ...borrower, usage: running(1) };
    const limited = decideJob(job, fleet([lender, atLimit]), { seed: 1 }).decision;
    expect(limited.kind).toBe('wait');
    if (limited.kind === 'wait') expect(limited.blockers[0]?.message).toContain('borrowing limit 1');
    const busyLender = { ...lender, usage: running(2) };
    const empty = decideJob(job, fleet([busyLender, borrower]), { seed: 1 }).decision;
    expect(empty.kind).toBe('wait');
  });

  it('a job within its own quota borrows nothing', () => {
    const job = aJob({ id: 'a-1', tenantId: 'tenant-a' });
    const { decision } = decideJob(job, fleet([lender, borrower]), { seed: 1 });
    expect(decision.kind).toBe('place');
    if (decision.kind === 'place') expect(decision.placement.borrowing).toBeUndefined();
  });
});

describe('borrowing in a pass', () => {
  it("does not lend quota the lender's own queued jobs wait for, whichever comes first", () => {
    // One CPU slot, free again after a reclaim: the borrower's older job must not take it back.
    const node = aNode({ devices: [], cpuSlots: { total: 1, free: 1 } });
    const reclaimed = aJob({ id: 'b-1', tenantId: 'tenant-b', submittedAtMs: 1, cpuFallbackAllowed: true });
    const owners = aJob({ id: 'a-1', tenantId: 'tenant-a', submittedAtMs: 2, cpuFallbackAllowed: true });
    const small = member('tenant-a', 1);
    const pass = schedulePass(fleet([small, borrower], { nodes: [node] }), [reclaimed, owners], { seed: 1 });
    const byId = new Map(pass.decisions.map((d) => [d.jobId, d.decision]));
    expect(byId.get('a-1')?.kind).toBe('place');
    const waits = byId.get('b-1');
    expect(waits?.kind).toBe('wait');
    if (waits?.kind === 'wait') expect(waits.blockers[0]?.message).toContain('cohort lab can lend 0');
    // Alone in the queue, the borrower's job borrows.
    const alone = schedulePass(fleet([small, borrower], { nodes: [node] }), [reclaimed], { seed: 1 });
    expect(alone.decisions[0]?.decision.kind).toBe('place');
  });
});

describe('the lender reclaims', () => {
  const full = aNode({ devices: [aDevice({ freeVramBytes: 0 })] });
  // Borrowed, high priority, not preemptible and only just started: none of that protects it.
  const borrowed = aRunningJob({
    jobId: 'b-run',
    tenantId: 'tenant-b',
    priority: 'high',
    preemptible: false,
    startedAtMs: NOW - 1,
    borrowed: true,
  });
  const owner = aJob({ id: 'a-1', tenantId: 'tenant-a', priority: 'normal' });
  const tenants = [lender, { ...borrower, usage: running(1) }];

  it("preempts borrowed work of a cohort member for a job within the lender's own quota", () => {
    const { decision, record } = decideJob(owner, fleet(tenants, { nodes: [full], running: [borrowed] }), {
      seed: 1,
    });
    expect(decision.kind).toBe('preempt');
    if (decision.kind !== 'preempt') return;
    expect(decision.plan.victims.map((v) => [v.jobId, v.borrowed])).toEqual([['b-run', true]]);
    expect(record.reason).toContain('reclaim');
    expect(record.affectedTenantIds).toEqual(['tenant-b']);
  });

  it('takes borrowed work before lower-priority work of its own', () => {
    const node = aNode({
      devices: [aDevice({ id: 'gpu-0', freeVramBytes: 0 }), aDevice({ id: 'gpu-1', freeVramBytes: 0 })],
    });
    const cheap = aRunningJob({ jobId: 'a-low', tenantId: 'tenant-c', deviceIds: ['gpu-0'], startedAtMs: 0 });
    const onOne = { ...borrowed, deviceIds: ['gpu-1'] };
    const { decision } = decideJob(
      { ...owner, priority: 'high' },
      fleet([...tenants, aTenant({ id: 'tenant-c' })], { nodes: [node], running: [cheap, onOne] }),
      { seed: 1 },
    );
    expect(decision.kind === 'preempt' && decision.plan.victims.map((v) => v.jobId)).toEqual(['b-run']);
  });

  it('neither a tenant outside the cohort nor one that is borrowing itself reclaims', () => {
    const stranger = aTenant({ id: 'tenant-c' });
    const job = { ...owner, tenantId: 'tenant-c' };
    const snapshot = fleet([...tenants, stranger], { nodes: [full], running: [borrowed] });
    expect(decideJob(job, snapshot, { seed: 1 }).decision.kind).toBe('wait');
    const alsoBorrowing = member('tenant-c', 0, { borrowingLimit: { concurrentJobs: 1 } });
    const borrowing = fleet([...tenants, alsoBorrowing], { nodes: [full], running: [borrowed] });
    expect(decideJob(job, borrowing, { seed: 1 }).decision.kind).toBe('wait');
  });

  it('simulate explains the borrowing and the reclaim', () => {
    const free = simulate(fleet([lender, borrower]), {
      tenantId: 'tenant-b',
      vramBytesPerDevice: 1,
      gpus: 1,
      priority: 'normal',
    });
    expect(free.outcome).toBe('would-start');
    expect(free.borrowing).toEqual([
      { quota: 'concurrentJobs', amount: 1, cohort: 'lab', from: [{ tenantId: 'tenant-a', amount: 1 }] },
    ]);
    expect(free.reason).toContain('borrows concurrentJobs 1 from cohort lab');
    const reclaim = simulate(fleet(tenants, { nodes: [full], running: [borrowed] }), {
      tenantId: 'tenant-a',
      vramBytesPerDevice: 1,
      gpus: 1,
      priority: 'normal',
    });
    expect(reclaim.outcome).toBe('would-preempt');
    expect(reclaim.borrowing).toEqual([]);
    expect(reclaim.preempted.map((v) => v.borrowed)).toEqual([true]);
  });
});

describe('cohortReport', () => {
  it('shows own, used, borrowed and lent for each borrowable quota', () => {
    const b = { ...borrower, usage: running(1) };
    const members = cohortMembers(b, [lender, b, aTenant({ id: 'tenant-c' })]);
    expect(members.map((t) => t.id)).toEqual(['tenant-a', 'tenant-b']);
    const ofB = cohortReport(b, members);
    expect(ofB.cohort).toBe('lab');
    expect(ofB.quotas.find((q) => q.quota === 'concurrentJobs')).toEqual({
      quota: 'concurrentJobs',
      own: 0,
      used: 1,
      borrowed: 1,
      lent: 0,
      borrowingLimit: 1,
    });
    const ofA = cohortReport(lender, members).quotas.find((q) => q.quota === 'concurrentJobs');
    expect(ofA).toEqual({
      quota: 'concurrentJobs',
      own: 2,
      used: 0,
      borrowed: 0,
      lent: 1,
      borrowingLimit: 0,
    });
  });

  it('reports no cohort for a tenant outside one', () => {
    const report = cohortReport(aTenant(), [aTenant()]);
    expect(report.cohort).toBeNull();
    expect(report.quotas.every((q) => q.borrowed === 0 && q.lent === 0)).toBe(true);
  });
});

describe('borrowing properties', () => {
  const memberArb = fc.record({
    own: fc.integer({ min: 0, max: 4 }),
    used: fc.integer({ min: 0, max: 6 }),
    limit: fc.integer({ min: 0, max: 3 }),
  });

  it('lending balances borrowing, and a loan never passes the limit or the cohort total', () => {
    fc.assert(
      fc.property(
        fc.array(memberArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 3 }),
        (raw, ask) => {
          const members = raw.map((m, i) =>
            member(`t-${i}`, m.own, { usage: running(m.used), borrowingLimit: { concurrentJobs: m.limit } }),
          );
          const lines = members.map(
            (t) =>
              cohortReport(t, members).quotas.find((q) => q.quota === 'concurrentJobs') as {
                borrowed: number;
                lent: number;
                own: number;
                used: number;
              },
          );
          const borrowed = lines.reduce((s, l) => s + l.borrowed, 0);
          const lent = lines.reduce((s, l) => s + l.lent, 0);
          const unused = lines.reduce((s, l) => s + Math.max(0, l.own - l.used), 0);
          expect(lent).toBe(Math.min(borrowed, unused));
          for (const l of lines) expect(l.lent).toBeLessThanOrEqual(Math.max(0, l.own - l.used));

          const asker = members[0] as TenantSnapshot;
          const plan = planBorrowing(asker, members, 'concurrentJobs', ask);
          if (!plan.ok || plan.borrowing === null) return;
          const own = effectiveLimit(asker, 'concurrentJobs').limit;
          expect(asker.usage.runningJobs + ask - own).toBeLessThanOrEqual(
            asker.borrowingLimit?.concurrentJobs ?? 0,
          );
          // A loan leaves the cohort within the sum of its members' limits.
          const before = members.reduce((s, t) => s + t.usage.runningJobs, 0);
          const limits = members.reduce((s, t) => s + effectiveLimit(t, 'concurrentJobs').limit, 0);
          expect(before + ask).toBeLessThanOrEqual(limits);
          expect(plan.borrowing.from.reduce((s, l) => s + l.amount, 0)).toBe(plan.borrowing.amount);
        },
      ),
      { numRuns: 300 },
    );
  });
});
