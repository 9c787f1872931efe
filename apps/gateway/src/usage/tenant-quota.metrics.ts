import { Inject, Injectable } from '@nestjs/common';
import { APP_LOGGER, DATA_SOURCE, METRICS_REGISTRY } from '@voxelfleet/platform';
import { quotaReport, type QuotaLine } from '@voxelfleet/scheduling';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { loadQuotaBlockedJobs } from './quota-blocked-jobs.js';
import { TenantSnapshotsService } from './tenant-snapshots.service.js';

/** A scrape must answer even while Postgres does not: the quota series are left out then. */
const READ_TIMEOUT_MS = 2_000;

/**
 * `voxelfleet_tenant_quota_used` and `voxelfleet_tenant_quota_limit` by tenant and quota: the
 * same lines `/admin/gpu/tenants` and `/v1/quota` show, read from the cached snapshots at
 * scrape time, so dashboards and alerts agree with the API. `voxelfleet_tenant_quota_blocked_jobs`:
 * queued jobs waiting on each quota, as `GET /v1/jobs/{id}` explains them one by one.
 */
@Injectable()
export class TenantQuotaMetrics {
  constructor(
    @Inject(TenantSnapshotsService) snapshots: TenantSnapshotsService,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    let lines: Promise<{ tenant: string; line: QuotaLine }[]> | null = null;
    // Both gauges are collected in one scrape; they share one read of the snapshots.
    const read = () => {
      lines ??= quotaLines(snapshots).finally(() => setImmediate(() => (lines = null)));
      return lines;
    };
    const gauge = (name: string, help: string, pick: (line: QuotaLine) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['tenant', 'quota'],
        registers: [registry],
        async collect() {
          this.reset();
          const rows = await read().catch((err: unknown) => {
            logger.warn({ err }, 'tenant quota metrics not read');
            return [];
          });
          for (const { tenant, line } of rows) this.set({ tenant, quota: line.quota }, pick(line));
        },
      });
    gauge(
      'voxelfleet_tenant_quota_used',
      "Usage counted against each tenant quota, in the quota's unit",
      (l) => l.used,
    );
    gauge(
      'voxelfleet_tenant_quota_limit',
      "Effective limit of each tenant quota (the tenant's own, within its edition's ceiling)",
      (l) => l.limit,
    );
    new Gauge({
      name: 'voxelfleet_tenant_quota_blocked_jobs',
      help: 'Queued jobs waiting on a tenant quota, by tenant and quota (a job blocked by two counts under both)',
      labelNames: ['tenant', 'quota'],
      registers: [registry],
      async collect() {
        this.reset();
        const rows = await withTimeout(loadQuotaBlockedJobs(dataSource.manager)).catch((err: unknown) => {
          logger.warn({ err }, 'quota-blocked jobs not read');
          return [];
        });
        for (const { tenant, quota, jobs } of rows) this.set({ tenant, quota }, jobs);
      },
    });
  }
}

async function quotaLines(snapshots: TenantSnapshotsService): Promise<{ tenant: string; line: QuotaLine }[]> {
  const tenants = await withTimeout(snapshots.tenants());
  const now = Date.now();
  return tenants.flatMap(({ policy, snapshot }) =>
    quotaReport(snapshot, now).map((line) => ({ tenant: policy.id, line })),
  );
}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
