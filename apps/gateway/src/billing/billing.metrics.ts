import { Inject, Injectable } from '@nestjs/common';
import { APP_LOGGER, METRICS_REGISTRY } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { BillingService, type BillingReport } from './billing.service.js';

const DAY_MS = 86_400_000;
/** A scrape must answer even while Postgres does not: the billing series are left out then. */
const READ_TIMEOUT_MS = 2_000;
/** How long one read of today's bill serves scrapes (the dashboard moves in minutes). */
const REUSE_MS = 15_000;

/**
 * `voxelfleet_billing_gpu_seconds_today`, `voxelfleet_billing_cost_today` and
 * `voxelfleet_billing_idle_reserved_gpu_seconds_today` by tenant and device class: the UTC
 * day so far as `GET /admin/billing` reports it, read at scrape time (at most every 15 s),
 * so the Grafana panel and the API agree.
 */
@Injectable()
export class BillingMetrics {
  constructor(
    @Inject(BillingService) billing: BillingService,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    // The gauges of one scrape share one read, and scrapes within REUSE_MS share it too: the
    // bill reads every job that held room today, too much to repeat every few seconds.
    let today: { atMs: number; report: Promise<BillingReport | null> } | null = null;
    const read = () => {
      const nowMs = Date.now();
      if (!today || nowMs - today.atMs > REUSE_MS) {
        const report = readToday(billing).catch((err: unknown) => {
          logger.warn({ err }, 'billing metrics not read');
          return null;
        });
        today = { atMs: nowMs, report };
      }
      return today.report;
    };
    const gauge = (name: string, help: string, pick: (line: BillingReport['lines'][number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['tenant', 'device_class', 'currency'],
        registers: [registry],
        async collect() {
          this.reset();
          const report = await read();
          for (const line of report?.lines ?? []) {
            this.set(
              { tenant: line.tenantId, device_class: line.deviceClass, currency: report?.currency ?? '' },
              pick(line),
            );
          }
        },
      });
    gauge(
      'voxelfleet_billing_gpu_seconds_today',
      'GPU-seconds run since the start of the UTC day',
      (l) => l.gpuSeconds,
    );
    gauge(
      'voxelfleet_billing_cpu_seconds_today',
      'CPU-fallback seconds run since the start of the UTC day',
      (l) => l.cpuSeconds,
    );
    gauge(
      'voxelfleet_billing_cost_today',
      'Cost of the run time since the start of the UTC day',
      (l) => l.cost,
    );
    gauge(
      'voxelfleet_billing_idle_reserved_gpu_seconds_today',
      'GPU-seconds reserved (placed) but not running since the start of the UTC day',
      (l) => l.idleReservedGpuSeconds,
    );
  }
}

async function readToday(billing: BillingService): Promise<BillingReport> {
  const nowMs = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`billing read took over ${READ_TIMEOUT_MS} ms`)),
      READ_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([billing.bill(nowMs - (nowMs % DAY_MS), nowMs, nowMs, null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
