import { describe, expect, it } from '@jest/globals';
import type { Placement, SchedulingPass } from '@voxelfleet/scheduling';
import type { QueuedJobRow } from '../jobs/job-row.js';
import { passWrites, placementAudit } from './pass-writes.js';

const row = (id: string, tenantId: string) => ({ id, tenant_id: tenantId }) as QueuedJobRow;

describe('placementAudit', () => {
  const byId = new Map([
    ['j1', row('j1', 'tenant-a')],
    ['j2', row('j2', 'tenant-b')],
    ['j3', row('j3', 'tenant-a')],
    ['j4', row('j4', 'tenant-b')],
  ]);
  const placementOf = new Map<string, Placement>([
    ['j1', { target: 'gpu', nodeId: 'n1', deviceIds: ['0', '1'], score: 1, reason: 'r' }],
    ['j2', { target: 'cpu', nodeId: 'n2', score: 1, reason: 'r' }],
    ['j3', { target: 'cpu', nodeId: 'n1', score: 1, reason: 'r' }],
    ['j4', { target: 'cpu', nodeId: 'n2', score: 1, reason: 'r' }],
  ]);

  it("gives each tenant one entry listing its committed placements, in the pass's order", () => {
    // j4 was decided but not committed (another leader placed it first): it is not listed.
    const audit = placementAudit('pass-1', [{ id: 'j1' }, { id: 'j2' }, { id: 'j3' }], byId, placementOf);
    expect(audit).toEqual([
      {
        tenantId: 'tenant-a',
        action: 'job.placed',
        resource: { type: 'scheduling-pass', id: 'pass-1' },
        outcome: 'succeeded',
        reason: 'placed 2 jobs',
        diff: {
          jobs: [
            { jobId: 'j1', nodeId: 'n1', target: 'gpu', deviceIds: ['0', '1'] },
            { jobId: 'j3', nodeId: 'n1', target: 'cpu', deviceIds: [] },
          ],
        },
      },
      {
        tenantId: 'tenant-b',
        action: 'job.placed',
        resource: { type: 'scheduling-pass', id: 'pass-1' },
        outcome: 'succeeded',
        reason: 'placed 1 job on n2',
        diff: { jobs: [{ jobId: 'j2', nodeId: 'n2', target: 'cpu', deviceIds: [] }] },
      },
    ]);
  });

  it('writes nothing when nothing committed', () => {
    expect(placementAudit('pass-2', [], byId, placementOf)).toEqual([]);
  });
});

describe('passWrites for a preemption', () => {
  const victim = (jobId: string, stopping?: true) => ({
    jobId,
    tenantId: 'tenant-b',
    nodeId: 'n1',
    deviceIds: ['0'],
    priority: 'background' as const,
    runtimeMs: 60_000,
    lostWorkMs: 60_000,
    resumesFromCheckpoint: false,
    ...(stopping ? { stopping } : {}),
  });
  const passOf = (victims: ReturnType<typeof victim>[]): SchedulingPass =>
    ({
      passDigest: 'p',
      requeue: [],
      decisions: [
        {
          jobId: 'urgent',
          decision: {
            kind: 'preempt',
            plan: { nodeId: 'n1', deviceIds: ['0'], victims, reason: 'preempt for urgent' },
          },
          record: { reason: 'r' },
        },
      ],
    }) as unknown as SchedulingPass;
  const rows = new Map([
    ['urgent', { ...row('urgent', 'tenant-a'), priority: 'realtime', pending: null }],
  ]) as unknown as Map<string, QueuedJobRow>;

  it("says, in the victim's transition and audit entry, that its borrowed quota was reclaimed", () => {
    const writes = passWrites(
      passOf([{ ...victim('v1'), borrowed: true } as ReturnType<typeof victim>]),
      [],
      rows,
      5,
      false,
    );
    expect(writes.victims).toEqual([
      { jobId: 'v1', reason: 'preempted for urgent: its borrowed quota reclaimed by tenant-a' },
    ]);
    expect(writes.audit[0]).toMatchObject({
      tenantId: 'tenant-b',
      reason: 'preempted on n1 for its borrowed quota reclaimed by tenant-a',
      diff: { by: 'urgent', nodeId: 'n1', reclaimed: true },
    });
  });

  it('stops the victims and lets the job wait for their room instead of placing it', () => {
    const writes = passWrites(passOf([victim('v1'), victim('v2:stopping', true)]), [], rows, 5, false);
    expect(writes.placements).toEqual([]);
    // Only the victim not already stopping is stopped (and audited) now.
    expect(writes.victims.map((v) => v.jobId)).toEqual(['v1']);
    expect(writes.audit.map((a) => [a.action, a.resource.id])).toEqual([['job.preempted', 'v1']]);
    expect(writes.waiting).toEqual([
      {
        jobId: 'urgent',
        pending: { blockers: [], preempting: ['v1', 'v2'], nodeId: 'n1', since: 5 },
        admitted: true,
        reason: 'waiting for 2 preempted job(s) to stop: preempt for urgent',
      },
    ]);
  });

  it('writes nothing again while it waits on the same stopping runs', () => {
    const waited = new Map([
      ['urgent', { ...row('urgent', 'tenant-a'), priority: 'realtime', pending: { preempting: ['v2'] } }],
    ]) as unknown as Map<string, QueuedJobRow>;
    const writes = passWrites(passOf([victim('v2:stopping', true)]), [], waited, 9, false);
    expect(writes.victims).toEqual([]);
    expect(writes.waiting).toEqual([]);
    expect(writes.logged).toEqual([]);
  });
});
