import type { JobDispatch, KernelInputs } from '@voxelfleet/contracts';
import type { VramPool } from '@voxelfleet/cuda';
import type { Logger } from 'pino';
import type { CpuRunner } from './cpu-pool.js';
import { jobErrorFromCuda } from './cuda-errors.js';
import { inputBytes, workUnits } from './decode-inputs.js';
import {
  budgetFor,
  cpuRunLimit,
  CpuCostModel,
  refuseOverBudget,
  type FallbackBudgets,
} from './fallback-budget.js';
import { countAllocFailure, fail, type Outcome } from './job-outcome.js';
import { encodeResult, type KernelCall } from './kernel-call.js';
import { runLaunches, type LaunchResult } from './launch-loop.js';
import { MicroBatcher, type BatchOutcome } from './micro-batcher.js';
import type { NodeMetrics } from './node-metrics.js';
import type { RunControl, Stopped } from './run-control.js';

/** A run of several launches (or one that can be stopped): how to decode a launch's inputs, and its stop. */
export interface LaunchControl {
  control: RunControl;
  decode: (inputs: KernelInputs) => KernelCall;
}

export interface CpuPathSettings {
  budgets: FallbackBudgets;
  batchWindowMs: number;
  batchMaxJobs: number;
}

/**
 * Jobs on the CPU: planned there, or standing in for a device (a fallback, with its warning,
 * count and budget). Each is charged to its tenant in the host pool, runs on a worker thread
 * (tiny ones of one tenant batched), and is cut at its limit.
 */
export class CpuPath {
  /** CPU fallbacks since start. */
  fallbacks = 0;
  /** CPU jobs running or batched now. */
  running = 0;
  private readonly cost = new CpuCostModel();
  private readonly batcher: MicroBatcher;

  constructor(
    private readonly cpu: CpuRunner,
    private readonly pool: VramPool,
    private readonly metrics: NodeMetrics,
    private readonly logger: Logger,
    private readonly settings: CpuPathSettings,
    /** Runs a batch under one concurrency slot (the executor's gate). */
    inSlot: (run: () => Promise<BatchOutcome>) => Promise<BatchOutcome>,
  ) {
    this.batcher = new MicroBatcher(settings.batchWindowMs, settings.batchMaxJobs, (calls, limitMs) =>
      inSlot(() => {
        this.metrics.batches.observe(calls.length);
        return this.cpu.run(calls, limitMs);
      }),
    );
  }

  async run(
    job: JobDispatch,
    key: string,
    call: KernelCall,
    fallbackReason: string | null,
    batched = false,
    launches?: LaunchControl,
  ): Promise<Outcome | Stopped> {
    const fallback = fallbackReason !== null;
    const budget = budgetFor(this.settings.budgets, call.kernel);
    const units = workUnits(call);
    if (fallback) {
      this.fallbacks++;
      this.metrics.fallbacks.inc({ cause: fallbackCause(fallbackReason) });
      this.logger.warn(
        {
          event: 'cpu-fallback',
          jobId: job.jobId,
          tenantId: job.tenantId,
          kernel: call.kernel,
          deviceIndex: job.deviceIndex,
          reason: fallbackReason,
          budgetMs: budget,
        },
        'job runs on the CPU instead of a device',
      );
      const predicted = this.cost.predictMs(call.kernel, units);
      if (refuseOverBudget(predicted, budget)) {
        return fail(
          'fallback-over-budget',
          `predicted ${Math.round(predicted!)} ms on the CPU, over the ${budget} ms budget for ${call.kernel}`,
          true,
        );
      }
    }
    const { limitMs, onExpiry } = cpuRunLimit(job.timeoutMs, fallback, budget);
    const bytes = inputBytes(call);
    try {
      this.pool.openJob(key, job.tenantId, { peakBytes: job.vramBytes });
    } catch (e) {
      countAllocFailure(this.metrics, e, 'host');
      return { ok: false, error: jobErrorFromCuda(e).error };
    }
    this.running++;
    try {
      try {
        this.pool.alloc(key, bytes, 'working-set');
      } catch (e) {
        countAllocFailure(this.metrics, e, 'host');
        return { ok: false, error: jobErrorFromCuda(e).error };
      }
      if (batched || !launches) {
        const outcome: BatchOutcome = batched
          ? await this.batcher.run(job.tenantId, call, limitMs)
          : await this.cpu.run([call], limitMs);
        const one = this.launchResult(call, outcome, limitMs, onExpiry, units);
        return one.ok ? this.succeeded(one.output, fallbackReason) : one.outcome;
      }
      // The limit is the run's, over all its launches.
      const deadline = Date.now() + limitMs;
      const end = await runLaunches({
        job,
        first: call,
        decode: launches.decode,
        control: launches.control,
        launch: async (next) =>
          this.launchResult(
            next,
            await this.cpu.run([next], Math.max(1, deadline - Date.now())),
            limitMs,
            onExpiry,
            workUnits(next),
          ),
      });
      if (end.kind === 'stopped') return end.stopped;
      if (end.kind === 'failed') return end.outcome;
      return this.succeeded(end.output, fallbackReason);
    } finally {
      this.running--;
      this.pool.closeJob(key);
    }
  }

  private succeeded(output: KernelInputs, fallbackReason: string | null): Outcome {
    return { ok: true, where: 'cpu', output, fallbackReason: fallbackReason ?? undefined };
  }

  /** One launch's outcome on a worker, as the run sees it. */
  private launchResult(
    call: KernelCall,
    outcome: BatchOutcome,
    limitMs: number,
    onExpiry: ReturnType<typeof cpuRunLimit>['onExpiry'],
    units: number,
  ): LaunchResult {
    if (outcome.status === 'limit') {
      const what =
        onExpiry === 'fallback-over-budget'
          ? `the ${limitMs} ms CPU budget for ${call.kernel}`
          : `its ${limitMs} ms limit`;
      return {
        ok: false,
        outcome: fail(
          onExpiry,
          `stopped after ${Math.round(outcome.elapsedMs)} ms on the CPU, past ${what}`,
          onExpiry === 'fallback-over-budget',
        ),
      };
    }
    if (outcome.status === 'refused')
      return { ok: false, outcome: fail('node-draining', outcome.message, true) };
    if (outcome.status === 'crashed') return { ok: false, outcome: fail('internal', outcome.message, true) };
    const one = outcome.outcomes[0]!;
    if (!one.ok)
      return {
        ok: false,
        outcome: fail(
          one.code === 'INVALID_ARGUMENT' ? 'bad-input' : 'internal',
          one.message,
          one.code !== 'INVALID_ARGUMENT',
        ),
      };
    this.cost.observe(call.kernel, units, one.ms);
    return { ok: true, output: encodeResult(one.result) };
  }
}

function fallbackCause(reason: string): string {
  if (reason.includes('lost')) return 'device-lost';
  if (reason.includes('out of memory')) return 'device-oom';
  if (reason.includes('out of service')) return 'device-unhealthy';
  return 'no-device';
}
