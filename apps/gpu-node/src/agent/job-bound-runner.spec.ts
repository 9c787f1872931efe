import { describe, expect, it } from '@jest/globals';
import { HostBacking, VramPool } from '@voxelfleet/cuda';
import { JobBoundPool } from './job-bound-runner.js';

describe('JobBoundPool', () => {
  it('puts a runner’s allocations in the dispatch’s pool job, consuming its reservation', () => {
    const pool = new VramPool(new HostBacking(), {
      capacityBytes: 64 * 1024,
      slabBytes: 16 * 1024,
      defaultTenantQuotaBytes: 8192,
    });
    pool.openJob('job-1.1', 'tenant-a', { peakBytes: 4096 });
    const bound = new JobBoundPool(pool);
    bound.bind('job-1.1');
    bound.openJob();
    const a = bound.alloc('tenant-a:kernel:1', 3000, 'x');
    expect(a).toMatchObject({ jobId: 'job-1.1', tenant: 'tenant-a' });
    // 3072 of the 4096 reserved are now used: the tenant is charged 4096, not 4096 + 3072.
    expect(pool.stats().tenants['tenant-a']).toMatchObject({ usedBytes: 3072, reservedBytes: 1024 });
    bound.release(a);
    bound.closeJob();
    expect(pool.stats().openJobs).toBe(1);
    const leaks = pool.closeJob('job-1.1');
    expect(leaks.leakedBytes).toBe(0);
  });

  it('reports what a run left behind when the dispatch closes', () => {
    const pool = new VramPool(new HostBacking(), { capacityBytes: 64 * 1024, slabBytes: 16 * 1024 });
    pool.openJob('job-2.1', 't');
    const bound = new JobBoundPool(pool);
    bound.bind('job-2.1');
    bound.alloc('ignored', 512, 'scratch');
    expect(pool.closeJob('job-2.1')).toMatchObject({
      leakedBytes: 512,
      leaked: [{ bytes: 512, label: 'scratch' }],
    });
  });

  it('refuses use outside a dispatch', () => {
    const bound = new JobBoundPool(new VramPool(new HostBacking(), { capacityBytes: 1024 }));
    expect(() => bound.alloc('x', 1)).toThrow('lane used outside a dispatch');
  });
});
