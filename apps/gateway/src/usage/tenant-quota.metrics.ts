import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@voxelfleet/platform';
import { quotaReport, type QuotaLine } from '@voxelfleet/scheduling';
import { Gauge, type Registry } from 'prom-client';
import { TenantSnapshotsService } from './tenant-snapshots.service.js';

/** A scrape must answer even while Postgres does not: the quota series are left out then. */
const READ_TIMEOUT_MS = 2_000;

/**
 * `voxelfleet_tenant_quota_used` and `voxelfleet_tenant_quota_limit` by tenant and quota: the
 * same lines `/admin/gpu/tenants` and `/v1/quota` show, read from the cached snapshots at
 * scrape time, so dashboards and alerts agree with the API.
 */
@Injectable()
export class TenantQuotaMetrics {
  constructor(
    @Inject(TenantSnapshotsService) snapshots: TenantSnapshotsService,
    @Inject(METRICS_REGISTRY) registry: Registry,
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
          const rows = await read().catch(() => []);
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
  }
}

async function quotaLines(snapshots: TenantSnapshotsService): Promise<{ tenant: string; line: QuotaLine }[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('tenant snapshots did not load in time')), READ_TIMEOUT_MS);
  });
  try {
    const tenants = await Promise.race([snapshots.tenants(), timeout]);
    const now = Date.now();
    return tenants.flatMap(({ policy, snapshot }) =>
      quotaReport(snapshot, now).map((line) => ({ tenant: policy.id, line })),
    );
  } finally {
    clearTimeout(timer);
  }
}
