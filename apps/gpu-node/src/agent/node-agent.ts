import { cpus } from 'node:os';
import { VramPool } from '@voxelfleet/cuda';
import type { Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AgentTuning } from '../gpu-node.config.js';
import { AccountingBacking } from './accounting-backing.js';
import { nextConcurrency } from './adaptive-concurrency.js';
import { CpuWorkerPool } from './cpu-pool.js';
import { DeviceSet } from './gpu-devices.js';
import { JobExecutor } from './job-executor.js';
import { JobReporter } from './job-reporter.js';
import { NodeMetrics } from './node-metrics.js';
import { SlotGate } from './slot-gate.js';

const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Everything the agent is made of, wired once: devices, CPU workers, pools, gate, executor. */
export class NodeAgent {
  readonly devices: DeviceSet;
  readonly cpu: CpuWorkerPool;
  readonly hostPool: VramPool;
  readonly gate: SlotGate;
  readonly metrics: NodeMetrics;
  readonly executor: JobExecutor;
  private readonly reporter: JobReporter;
  private readonly reportedOut = new Set<number>();
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  constructor(
    readonly nodeId: string,
    readonly tuning: AgentTuning,
    transport: Transport,
    registry: Registry,
    private readonly logger: Logger,
  ) {
    this.devices = DeviceSet.open(logger, {
      opTimeoutMs: tuning.deviceOpTimeoutMs,
      tenantVramShare: tuning.tenantPoolShare,
    });
    this.cpu = new CpuWorkerPool(tuning.cpuSlots);
    this.hostPool = new VramPool(new AccountingBacking(), {
      capacityBytes: tuning.hostPoolBytes,
      slabBytes: Math.min(256 * 2 ** 20, tuning.hostPoolBytes),
      defaultTenantQuotaBytes: Math.floor(tuning.hostPoolBytes * tuning.tenantPoolShare),
    });
    // Start at the CPU slots on a CPU node, one per device lane budget otherwise; the rule moves it.
    const start = this.devices.devices.length
      ? tuning.maxConcurrentJobs
      : Math.min(tuning.cpuSlots, tuning.maxConcurrentJobs);
    this.gate = new SlotGate(Math.max(tuning.minConcurrentJobs, start));
    this.metrics = new NodeMetrics(registry, this.devices, this.hostPool);
    this.metrics.concurrencyLimit.set(this.gate.limit);
    this.reporter = new JobReporter(transport, logger, { coalesceMs: tuning.reportCoalesceMs });
    this.executor = new JobExecutor(
      this.devices,
      this.cpu,
      this.hostPool,
      this.gate,
      this.reporter,
      this.metrics,
      logger,
      {
        nodeId,
        limits: { maxInputBytes: tuning.maxInputBytes, maxOutputBytes: tuning.maxOutputBytes },
        budgets: { defaultMs: tuning.fallbackBudgetDefaultMs, byKernel: tuning.fallbackBudgetsMs },
        tinyJobBytes: tuning.tinyJobBytes,
        batchWindowMs: tuning.batchWindowMs,
        batchMaxJobs: tuning.batchMaxJobs,
      },
    );
  }

  /** Busy fraction of what jobs run on: mean GPU utilization, or this process's CPU time over its slots. */
  utilization(): number | null {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMs = now - this.lastAt;
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const healthy = this.devices.devices.filter((d) => d.healthy);
    if (healthy.length) {
      const utils = healthy
        .map((d) => (d.telemetry?.available ? d.telemetry.utilizationGpuPct : null))
        .filter((u): u is number => typeof u === 'number');
      return utils.length ? utils.reduce((s, u) => s + u, 0) / utils.length / 100 : null;
    }
    const cores = Math.min(this.tuning.cpuSlots, cpus().length);
    return elapsedMs > 0 ? Math.min(1, (cpu.user + cpu.system) / 1000 / elapsedMs / cores) : null;
  }

  /** One step of the adaptive concurrency rule. */
  adjustConcurrency(): void {
    const decision = nextConcurrency({
      limit: this.gate.limit,
      min: this.tuning.minConcurrentJobs,
      max: this.tuning.maxConcurrentJobs,
      utilization: this.utilization(),
      queueWaitMs: median(this.executor.takeWaits()),
      waiting: this.gate.waiting,
      peakRunning: this.gate.takePeak(),
    });
    if (decision.limit !== this.gate.limit) {
      this.logger.info(
        { from: this.gate.limit, to: decision.limit, reason: decision.reason },
        'concurrency limit changed',
      );
      this.gate.setLimit(decision.limit);
      this.metrics.concurrencyLimit.set(decision.limit);
    }
  }

  /** Samples telemetry; a device found (or marked by a job) out of service is reported once. */
  sampleDevices(): void {
    for (const d of this.devices.devices) {
      d.sample();
      if (d.healthy || this.reportedOut.has(d.index)) continue;
      this.reportedOut.add(d.index);
      this.logger.error({ device: d.index, reason: d.reason }, 'device taken out of service');
      void this.reporter.event({
        nodeId: this.nodeId,
        type: 'device.out-of-service',
        tenantId: null,
        deviceIndex: d.index,
        at: Date.now(),
        detail: { device: d.dev.info.name, uuid: d.dev.info.uuid, reason: d.reason ?? null },
      });
    }
  }
}
