import { describe, expect, it } from '@jest/globals';
import type { TenantSnapshot } from '@voxelfleet/scheduling';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { TenantQuotaMetrics } from './tenant-quota.metrics.js';
import type { TenantSnapshotsService } from './tenant-snapshots.service.js';

const limits = {
  vramBytesPerDevice: 8,
  vramBytesTotal: 16,
  gpus: 2,
  concurrentJobs: 4,
  jobsPerMinute: 60,
  gpuSecondsPerDay: 100,
  trackingStreams: 1,
};

const snapshot = (runningJobs: number): TenantSnapshot => ({
  id: 't1',
  suspended: false,
  edition: {
    name: 'pro',
    features: { multiGpu: true, signedCustomKernels: true, trackingStreams: true, cpuFallback: true },
    ceiling: { ...limits, concurrentJobs: 3 },
  },
  quota: limits,
  usage: {
    vramBytes: 12,
    gpus: 1,
    runningJobs,
    recentSubmissionsMs: [],
    gpuSecondsToday: 0,
    trackingStreams: 0,
  },
});

const silent = pino({ level: 'silent' });
const noBlockedJobs = { manager: { query: () => Promise.resolve([]) } } as unknown as DataSource;

async function series(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric(name)!.get();
  return Object.fromEntries(
    metric.values.map((v) => [`${String(v.labels.tenant)}/${String(v.labels.quota)}`, v.value]),
  );
}

describe('TenantQuotaMetrics', () => {
  it('exports every quota line of every tenant, read at scrape time', async () => {
    let running = 1;
    const snapshots = {
      tenants: () => Promise.resolve([{ policy: { id: 't1' }, snapshot: snapshot(running) }]),
    } as unknown as TenantSnapshotsService;
    const registry = new Registry();
    new TenantQuotaMetrics(snapshots, registry, noBlockedJobs, silent);

    const used = await series(registry, 'voxelfleet_tenant_quota_used');
    expect(used).toMatchObject({ 't1/vramBytesTotal': 12, 't1/gpus': 1, 't1/concurrentJobs': 1 });
    expect(Object.keys(used)).toHaveLength(7);
    // The edition's ceiling (3) is below the tenant's own quota (4): the ceiling is the limit.
    expect(await series(registry, 'voxelfleet_tenant_quota_limit')).toMatchObject({
      't1/vramBytesTotal': 16,
      't1/concurrentJobs': 3,
    });
    running = 3;
    await new Promise((resolve) => setImmediate(resolve));
    expect((await series(registry, 'voxelfleet_tenant_quota_used'))['t1/concurrentJobs']).toBe(3);
  });

  it('leaves the series out, without failing the scrape, when the snapshots cannot be read', async () => {
    const snapshots = {
      tenants: () => Promise.reject(new Error('connection refused')),
    } as unknown as TenantSnapshotsService;
    const registry = new Registry();
    new TenantQuotaMetrics(snapshots, registry, noBlockedJobs, silent);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE voxelfleet_tenant_quota_used gauge');
    expect(text).not.toContain('voxelfleet_tenant_quota_used{');
  });

  it('exports the queued jobs waiting on each quota as the database counts them', async () => {
    const snapshots = { tenants: () => Promise.resolve([]) } as unknown as TenantSnapshotsService;
    const dataSource = {
      manager: {
        query: (sql: string) =>
          Promise.resolve(
            sql.includes("b->>'kind' = 'quota'") ? [{ tenant: 't1', quota: 'gpus', jobs: 3 }] : [],
          ),
      },
    } as unknown as DataSource;
    const registry = new Registry();
    new TenantQuotaMetrics(snapshots, registry, dataSource, silent);
    expect(await series(registry, 'voxelfleet_tenant_quota_blocked_jobs')).toEqual({ 't1/gpus': 3 });
  });
});
