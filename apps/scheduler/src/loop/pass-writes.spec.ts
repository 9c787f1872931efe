import { describe, expect, it } from '@jest/globals';
import type { Placement } from '@voxelfleet/scheduling';
import type { QueuedJobRow } from '../jobs/job-row.js';
import { placementAudit } from './pass-writes.js';

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
