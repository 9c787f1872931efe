import type { JobDispatch, JobStop, KernelInputs } from '@voxelfleet/contracts';
import { CudaError, type VramPool } from '@voxelfleet/cuda';
import type { Logger } from 'pino';
import type { CpuRunner } from './cpu-pool.js';
import { jobErrorFromCuda } from './cuda-errors.js';
import {
  CustomKernelRefError,
  prepareCustom,
  runCustomOnDevice,
  verifyCustom,
  type PreparedCustom,
} from './custom-kernel-job.js';
import { CpuPath, type LaunchControl } from './cpu-path.js';
import { decodeInputs, inputBytes, type DecodeLimits } from './decode-inputs.js';
import { runLaunches } from './launch-loop.js';
import { isStopped, RunControl, type Stopped } from './run-control.js';
import { checkDispatch } from './dispatch-shape.js';
import type { FallbackBudgets } from './fallback-budget.js';
import type { DeviceSet, GpuDevice } from './gpu-devices.js';
import { BadInputError } from './inline-buffer.js';
import { finishedReport, safeKernelLabel, stoppedReport } from './finished-report.js';
import type { JobReporter } from './job-reporter.js';
import { encodeResult, runKernel, type KernelCall } from './kernel-call.js';
import { countAllocFailure, fail, type Outcome } from './job-outcome.js';
import { customKernelEvent, outcomeEvent } from './node-events.js';
import type { NodeMetrics } from './node-metrics.js';
import { planAfterDeviceFailure, planRun } from './run-plan.js';
import type { SlotGate } from './slot-gate.js';

export interface ExecutorSettings {
  nodeId: string;
  limits: DecodeLimits;
  budgets: FallbackBudgets;
  /** CPU jobs whose buffers total at most this many bytes may share a worker round trip. */
  tinyJobBytes: number;
  batchWindowMs: number;
  batchMaxJobs: number;
}

class DrainingError extends Error {}

/** Stops remembered for runs this node did not hold, so a dispatch that comes after never starts. */
const REMEMBERED_STOPS = 10_000;

/**
 * Runs JobDispatch messages: checks them, waits for a slot under the adaptive limit, picks
 * the device or the CPU, runs the kernel with the tenant's pool share, and reports
 * started/succeeded/failed. Every failure becomes a report; nothing is left hanging.
 */
export class JobExecutor {
  /** Jobs accepted and not yet reported finished (`jobId.attempt`). */
  readonly accepted = new Map<string, string>();
  /** The stop of each accepted run (`jobId.attempt`). */
  private readonly controls = new Map<string, RunControl>();
  /** Runs stopped before they reached this node (oldest first). */
  private readonly stoppedAhead = new Set<string>();
  private draining = false;
  private readonly cpuPath: CpuPath;
  private waits: number[] = [];

  constructor(
    private readonly devices: DeviceSet,
    cpu: CpuRunner,
    hostPool: VramPool,
    readonly gate: SlotGate,
    private readonly reporter: JobReporter,
    private readonly metrics: NodeMetrics,
    private readonly logger: Logger,
    private readonly settings: ExecutorSettings,
  ) {
    // A batch of tiny jobs takes one slot under the concurrency limit, as one job would:
    // it occupies one CPU worker for one round trip.
    this.cpuPath = new CpuPath(cpu, hostPool, metrics, logger, settings, async (run) => {
      const asked = Date.now();
      try {
        await this.gate.acquire();
      } catch (e) {
        if (e instanceof DrainingError)
          return { status: 'refused', message: 'node began draining before the job started' };
        throw e;
      }
      try {
        this.recordWait(Date.now() - asked);
        return await run();
      } finally {
        this.gate.release();
      }
    });
  }

  /** CPU fallbacks since start. */
  get fallbacks(): number {
    return this.cpuPath.fallbacks;
  }

  /** CPU jobs running (or batched) now. */
  get cpuRunning(): number {
    return this.cpuPath.running;
  }

  /** Stops starting jobs: those waiting for a slot fail `node-draining`; running ones finish. */
  drain(): void {
    this.draining = true;
    this.gate.rejectWaiting(new DrainingError('node is draining'));
  }

  /** Queue waits since the last call, ms (for the concurrency rule). */
  takeWaits(): number[] {
    const w = this.waits;
    this.waits = [];
    return w;
  }

  /**
   * A stop for one run: a run held here stops at its next launch boundary (or before it
   * starts) and reports `stopped` itself. A run not held here is answered `stopped` at once,
   * and remembered, so its dispatch never starts if it arrives after the stop.
   */
  async stop(stop: JobStop): Promise<void> {
    const key = `${stop.jobId}.${stop.attempt}`;
    const control = this.controls.get(key);
    if (control) {
      this.logger.info({ jobId: stop.jobId, attempt: stop.attempt, reason: stop.reason }, 'stopping job');
      control.request(stop);
      return;
    }
    this.rememberStop(key);
    await this.finish(
      { jobId: stop.jobId, attempt: stop.attempt, tenantId: '?', kernel: { name: '?' } },
      Date.now(),
      { stopped: stop, started: false, launchesDone: 0 },
    );
  }

  private rememberStop(key: string): void {
    this.stoppedAhead.add(key);
    if (this.stoppedAhead.size > REMEMBERED_STOPS) {
      const oldest = this.stoppedAhead.values().next().value;
      if (oldest !== undefined) this.stoppedAhead.delete(oldest);
    }
  }

  async handle(raw: unknown, deliveredAt: number): Promise<void> {
    const checked = checkDispatch(raw);
    if (!checked.ok) {
      this.logger.warn({ reason: checked.reason, jobId: checked.jobId }, 'malformed job dispatch');
      if (checked.jobId && checked.attempt) {
        await this.finish(
          { jobId: checked.jobId, attempt: checked.attempt, tenantId: '?', kernel: { name: '?' } },
          Date.now(),
          fail('bad-input', checked.reason, false),
        );
      }
      return;
    }
    const job = checked.job;
    const key = `${job.jobId}.${job.attempt}`;
    if (this.accepted.has(key)) {
      this.logger.info(
        { jobId: job.jobId, attempt: job.attempt },
        'dispatch delivered twice; the first one runs',
      );
      return;
    }
    if (this.stoppedAhead.has(key)) {
      this.logger.info({ jobId: job.jobId, attempt: job.attempt }, 'dispatch of a stopped run; not started');
      return;
    }
    if (job.checkpoint) {
      this.logger.info(
        { jobId: job.jobId, attempt: job.attempt, launchesDone: job.checkpoint.launchesDone },
        'run resumes from its checkpoint',
      );
    }
    const control = new RunControl(job.checkpointable === true);
    this.accepted.set(key, job.jobId);
    this.controls.set(key, control);
    const t0 = Date.now();
    try {
      await this.finish(job, t0, await this.execute(job, key, deliveredAt, control));
    } finally {
      this.accepted.delete(key);
      this.controls.delete(key);
    }
  }

  private async execute(
    job: JobDispatch,
    key: string,
    deliveredAt: number,
    control: RunControl,
  ): Promise<Outcome | Stopped> {
    if (this.draining) return fail('node-draining', 'node is draining; not taking new jobs', true);
    let call: KernelCall | null = null;
    let custom: PreparedCustom | null = null;
    try {
      if (job.kernel.custom) custom = prepareCustom(job.kernel.custom, job.inputs, this.settings.limits);
      // A run resumed from a checkpoint starts from the checkpoint's inputs.
      else call = decodeInputs(job.kernel.name, job.checkpoint?.inputs ?? job.inputs, this.settings.limits);
    } catch (e) {
      if (e instanceof CustomKernelRefError) {
        this.customEvent(job, {
          type: 'kernel.rejected',
          name: job.kernel.name,
          keyId: '',
          code: 'KERNEL_UNKNOWN',
          reason: e.message,
        });
        return fail('kernel-rejected', e.message, false);
      }
      if (!(e instanceof BadInputError)) throw e;
      const code = e.field === 'kernel.name' ? 'unknown-kernel' : 'bad-input';
      return fail(code, e.message, false);
    }
    // Tiny CPU jobs go straight to the micro-batcher, whose batch takes the slot.
    const batched = call !== null && this.batchable(job, call);
    if (!batched) {
      const acquired = this.gate.acquire();
      let first: 'slot' | JobStop;
      try {
        first = await Promise.race([acquired.then(() => 'slot' as const), control.whenRequested()]);
      } catch (e) {
        if (e instanceof DrainingError)
          return fail('node-draining', 'node began draining before the job started', true);
        throw e;
      }
      if (first !== 'slot') {
        // Stopped while waiting: the slot, once granted, goes straight back.
        acquired.then(
          () => this.gate.release(),
          () => undefined,
        );
        return { stopped: first, started: false, launchesDone: job.checkpoint?.launchesDone ?? 0 };
      }
    }
    try {
      if (!batched) this.recordWait(Date.now() - deliveredAt);
      if (job.deadlineAtMs !== undefined && Date.now() > job.deadlineAtMs) {
        return fail(
          'expired',
          `deadline passed ${Date.now() - job.deadlineAtMs} ms before the job could start`,
          false,
        );
      }
      const stopped = control.atBoundary(
        job.checkpoint?.launchesDone ?? 0,
        job.checkpoint?.inputs ?? job.inputs,
      );
      if (stopped) return { ...stopped, started: false };
      return custom
        ? await this.runCustom(job, key, custom)
        : await this.runBuiltin(job, key, call!, batched, control);
    } finally {
      if (!batched) this.gate.release();
    }
  }

  private recordWait(ms: number): void {
    this.waits.push(ms);
    this.metrics.queueWait.observe(ms / 1000);
  }

  /** Small enough to share a worker round trip, and bound for the CPU anyway. */
  private batchable(job: JobDispatch, call: KernelCall): boolean {
    if (this.settings.batchMaxJobs < 2 || inputBytes(call) > this.settings.tinyJobBytes) return false;
    // A run of several launches (or a resumed one) runs on its own, so a stop can land between them.
    if ((job.launches ?? 1) > 1 || job.checkpoint) return false;
    const plan = planRun(
      { deviceIndex: job.deviceIndex, cpuFallbackAllowed: job.cpuFallbackAllowed, custom: false },
      this.devices.health(),
    );
    return plan.where === 'cpu';
  }

  private async runBuiltin(
    job: JobDispatch,
    key: string,
    call: KernelCall,
    batched: boolean,
    control: RunControl,
  ): Promise<Outcome | Stopped> {
    const launches: LaunchControl = {
      control,
      decode: (inputs) => decodeInputs(job.kernel.name, inputs, this.settings.limits),
    };
    const plan = planRun(
      { deviceIndex: job.deviceIndex, cpuFallbackAllowed: job.cpuFallbackAllowed, custom: false },
      this.devices.health(),
    );
    if (plan.where === 'nowhere') return { ok: false, error: plan.error };
    if (plan.where === 'cpu') {
      await this.started(job, 'cpu');
      return this.cpuPath.run(job, key, call, plan.fallbackReason, batched, launches);
    }
    const device = this.devices.get(plan.deviceIndex)!;
    await this.started(job, 'cuda', device.index);
    const r = await this.onDevice(job, key, device, async (lane) => {
      const end = await runLaunches({
        job,
        first: call,
        decode: launches.decode,
        control,
        launch: async (next) => ({
          ok: true,
          output: encodeResult(
            await runKernel(lane.runner, next, () => device.dev.launch('noop', lane.stream(), [])),
          ),
        }),
      });
      if (end.kind === 'failed') throw new Error('a device launch reports failures by throwing');
      return end.kind === 'stopped' ? end.stopped : end.output;
    });
    if (isStopped(r)) return r;
    if (r.ok || !r.deviceFailure) return r.ok ? r : { ok: false, error: r.error };
    const next = planAfterDeviceFailure(
      { code: r.deviceFailure, message: r.error.message, deviceIndex: device.index },
      { cpuFallbackAllowed: job.cpuFallbackAllowed, custom: false },
    );
    if (next.where !== 'cpu') return { ok: false, error: next.where === 'nowhere' ? next.error : r.error };
    return this.cpuPath.run(job, key, call, next.fallbackReason, false, launches);
  }

  private async runCustom(job: JobDispatch, key: string, p: PreparedCustom): Promise<Outcome | Stopped> {
    const kernelName = p.signed.manifest.name;
    try {
      verifyCustom(p);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.customEvent(job, {
        type: 'kernel.rejected',
        name: kernelName,
        keyId: p.signed.manifest.keyId,
        code: (e as CudaError).code ?? 'KERNEL_TAMPERED',
        reason,
      });
      return fail('kernel-rejected', reason, false);
    }
    const plan = planRun(
      { deviceIndex: job.deviceIndex, cpuFallbackAllowed: job.cpuFallbackAllowed, custom: true },
      this.devices.health(),
    );
    if (plan.where !== 'cuda') {
      const error =
        plan.where === 'nowhere'
          ? plan.error
          : {
              code: 'kernel-rejected' as const,
              message: 'custom kernels never run on the CPU',
              retryable: true,
            };
      this.customEvent(job, {
        type: 'kernel.rejected',
        name: kernelName,
        keyId: p.signed.manifest.keyId,
        code: 'NO_DEVICE',
        reason: error.message,
      });
      return { ok: false, error };
    }
    const device = this.devices.get(plan.deviceIndex)!;
    await this.started(job, 'cuda', device.index);
    const r = await this.onDevice(job, key, device, (lane) => {
      const run = runCustomOnDevice(device, key, lane.stream(), p, job.timeoutMs);
      for (const e of device.takeCustomEvents()) this.customEvent(job, e);
      return run;
    });
    for (const e of device.takeCustomEvents()) this.customEvent(job, e);
    if (isStopped(r)) return r;
    return r.ok ? r : { ok: false, error: r.error };
  }

  /**
   * Runs on a device lane inside a pool job holding the declared peak. The job's time limit
   * answers the caller; the lane and the pool job are released only when the device work
   * actually ends (or kept, if the addon timed it out and its buffers may still be written).
   */
  private async onDevice(
    job: JobDispatch,
    key: string,
    device: GpuDevice,
    work: (lane: ReturnType<GpuDevice['lane']>) => Promise<KernelInputs | Stopped>,
  ): Promise<Outcome | Stopped> {
    const pool = device.dev.pool;
    try {
      pool.openJob(key, job.tenantId, { peakBytes: job.vramBytes });
    } catch (e) {
      countAllocFailure(this.metrics, e, String(device.index));
      return { ok: false, ...jobErrorFromCuda(e) };
    }
    const lane = device.lane();
    lane.pool.bind(key);
    const settle = (keepPoolJob: boolean) => {
      lane.pool.unbind();
      lane.busy = false;
      if (keepPoolJob) {
        this.logger.warn(
          { jobId: job.jobId, device: device.index },
          'device work timed out in the addon; its buffers stay held',
        );
        return;
      }
      try {
        const leaks = pool.closeJob(key);
        if (leaks.leakedBytes)
          this.logger.warn({ jobId: job.jobId, leaks }, 'job left buffers in the pool; freed');
      } catch (e) {
        // A lost device cannot zero what it frees; the device is out of service already.
        this.logger.error({ err: e, jobId: job.jobId, device: device.index }, 'pool job could not be closed');
      }
    };
    const running = (async () => work(lane))();
    running.then(
      () => settle(false),
      (e: unknown) => settle(e instanceof CudaError && e.code === 'TIMEOUT'),
    );
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), job.timeoutMs);
    });
    try {
      const output = await Promise.race([running, limit]);
      if (output === 'timeout')
        return fail('timeout', `ran past its ${job.timeoutMs} ms limit on device ${device.index}`, false);
      if (isStopped(output)) return output;
      return { ok: true, where: 'cuda', deviceIndex: device.index, output };
    } catch (e) {
      countAllocFailure(this.metrics, e, String(device.index));
      const mapped = jobErrorFromCuda(e);
      if (mapped.deviceFailure === 'device-lost') device.markOut(mapped.error.message);
      return { ok: false, ...mapped };
    } finally {
      clearTimeout(timer);
    }
  }

  private async started(job: JobDispatch, where: 'cuda' | 'cpu', deviceIndex?: number): Promise<void> {
    await this.reporter.send({
      type: 'started',
      jobId: job.jobId,
      attempt: job.attempt,
      nodeId: this.settings.nodeId,
      at: Date.now(),
      where,
      deviceIndex,
    });
  }

  private async finish(
    job: Pick<JobDispatch, 'jobId' | 'attempt' | 'tenantId' | 'kernel'>,
    t0: number,
    o: Outcome | Stopped,
  ): Promise<void> {
    if (isStopped(o)) {
      this.metrics.jobs.inc({
        outcome: 'stopped',
        where: 'none',
        kernel: safeKernelLabel(job.kernel.custom ? 'custom' : job.kernel.name),
      });
      await this.reporter.send(stoppedReport(job, this.settings.nodeId, t0, o));
      return;
    }
    const report = finishedReport(job, this.settings.nodeId, t0, o);
    const kernel = safeKernelLabel(job.kernel.custom ? 'custom' : job.kernel.name);
    const where = o.ok ? o.where : 'none';
    this.metrics.jobs.inc({ outcome: o.ok ? 'succeeded' : o.error.code, where, kernel });
    if (report.type === 'succeeded')
      this.metrics.duration.observe({ where, kernel }, report.durationMs / 1000);
    if (!o.ok) this.logger.info({ jobId: job.jobId, attempt: job.attempt, error: o.error }, 'job failed');
    await this.reporter.send(report);
    const event = outcomeEvent(
      this.settings.nodeId,
      job,
      job.kernel.custom ? 'custom' : job.kernel.name,
      o,
      report.at,
    );
    if (event) await this.reporter.event(event);
  }

  private customEvent(
    job: JobDispatch,
    e: { type: string; name: string; keyId: string; [k: string]: unknown },
  ): void {
    this.metrics.customKernelEvents.inc({ type: e.type });
    // A structured log line for operators, and a node event the scheduler appends to the
    // tenant's audit chain.
    const line = {
      audit: true,
      event: e.type,
      jobId: job.jobId,
      tenantId: job.tenantId,
      nodeId: this.settings.nodeId,
      kernel: e,
    };
    if (e.type === 'kernel.rejected') this.logger.warn(line, 'custom kernel rejected');
    else this.logger.info(line, 'custom kernel accepted');
    void this.reporter.event(customKernelEvent(this.settings.nodeId, job, e, Date.now()));
  }
}
