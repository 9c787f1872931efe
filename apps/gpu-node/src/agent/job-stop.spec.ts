import { afterEach, describe, expect, it } from '@jest/globals';
import { JOB_REPORTS_QUEUE, type JobDispatch, type JobReport, type JobStop } from '@voxelfleet/contracts';
import { CpuKernelRunner, VramPool } from '@voxelfleet/cuda';
import { InProcessTransport } from '@voxelfleet/transport';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { AccountingBacking } from './accounting-backing.js';
import type { CpuRunner, CpuTaskOutcome } from './cpu-pool.js';
import { DeviceSet, GpuDevice } from './gpu-devices.js';
import { JobExecutor } from './job-executor.js';
import { JobReporter } from './job-reporter.js';
import { runKernel, type KernelCall } from './kernel-call.js';
import { NodeMetrics } from './node-metrics.js';
import { SlotGate } from './slot-gate.js';
import { EmulatedDevice, h100Info } from './testing/emulated-device.js';

/**
 * The CPU path in this thread, one launch at a time under the test's control: with `held`,
 * each launch waits for `step()`, so a stop can be placed between two chosen launches.
 */
class SteppedCpu implements CpuRunner {
  launches = 0;
  held = false;
  private waiting: Array<() => void> = [];
  async run(calls: KernelCall[]): Promise<CpuTaskOutcome> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.launches += calls.length;
    const runner = new CpuKernelRunner();
    const outcomes = [];
    for (const c of calls) outcomes.push({ ok: true as const, result: await runKernel(runner, c), ms: 0 });
    return { status: 'done', outcomes };
  }
  /** Lets the waiting launch run; resolves once it has been asked for. */
  async step(): Promise<void> {
    while (this.waiting.length === 0) await new Promise((r) => setTimeout(r, 1));
    this.waiting.shift()?.();
    await new Promise((r) => setTimeout(r, 1));
  }
  release(): void {
    this.held = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

const open: InProcessTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function node(devs: EmulatedDevice[] = [], gate = 4) {
  const transport = new InProcessTransport();
  open.push(transport);
  const reports: JobReport[] = [];
  transport.consume<JobReport>(JOB_REPORTS_QUEUE, (j) => {
    reports.push(j.data);
    return Promise.resolve();
  });
  const logger = pino({ level: 'silent' });
  const devices = DeviceSet.of(
    devs.map((d) => new GpuDevice(d.asCudaDevice())),
    {
      available: devs.length > 0,
      state: devs.length > 0 ? 'ready' : 'no-device',
      reason: devs.length > 0 ? null : 'no GPU',
      addon: { loaded: devs.length > 0, path: null },
      driverVersion: null,
      runtimeVersion: null,
      nvmlReason: null,
      devices: devs.map((d) => d.info),
    } as unknown as Parameters<typeof DeviceSet.of>[1],
  );
  const hostPool = new VramPool(new AccountingBacking(), { capacityBytes: 2 ** 30 });
  const cpu = new SteppedCpu();
  const slots = new SlotGate(gate);
  const executor = new JobExecutor(
    devices,
    cpu,
    hostPool,
    slots,
    new JobReporter(transport, logger),
    new NodeMetrics(new Registry(), devices, hostPool),
    logger,
    {
      nodeId: 'n1',
      limits: { maxInputBytes: 2 ** 20, maxOutputBytes: 2 ** 20 },
      budgets: { defaultMs: 60_000, byKernel: {} },
      tinyJobBytes: 0,
      batchWindowMs: 5,
      batchMaxJobs: 1,
    },
  );
  let seq = 0;
  const dispatch = (patch: Partial<JobDispatch> = {}): JobDispatch => ({
    jobId: `j${++seq}`,
    attempt: 1,
    tenantId: 'tenant-a',
    kernel: { name: 'saxpy' },
    // y counts launches: each adds a * x = 1.
    inputs: { a: 1, x: [1, 1], y: [0, 0] },
    vramBytes: 4096,
    cpuFallbackAllowed: true,
    timeoutMs: 60_000,
    dispatchedAtMs: Date.now(),
    ...patch,
  });
  const final = async (jobId: string, attempt = 1): Promise<JobReport> => {
    for (let i = 0; i < 400; i++) {
      const r = reports.find((x) => x.jobId === jobId && x.attempt === attempt && x.type !== 'started');
      if (r) return r;
      await new Promise((res) => setTimeout(res, 5));
    }
    throw new Error(`no final report for ${jobId}`);
  };
  const stop = (job: JobDispatch, patch: Partial<JobStop> = {}): JobStop => ({
    jobId: job.jobId,
    attempt: job.attempt,
    reason: 'cancelled',
    graceMs: 0,
    at: Date.now(),
    ...patch,
  });
  return { executor, reports, cpu, hostPool, slots, dispatch, final, stop };
}

const ys = (r: JobReport): number[] => {
  if (r.type !== 'succeeded') throw new Error(`job did not succeed: ${JSON.stringify(r)}`);
  const y = r.output.y;
  if (Array.isArray(y)) return y;
  const raw = Buffer.from((y as { base64: string }).base64, 'base64');
  return [...new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))];
};

describe('a run of several launches', () => {
  it('carries each launch’s outputs into the next', async () => {
    const n = node();
    const job = n.dispatch({ launches: 5 });
    await n.executor.handle(job, Date.now());
    expect(ys(await n.final(job.jobId))).toEqual([5, 5]);
    expect(n.cpu.launches).toBe(5);
  });
});

describe('stopping a run', () => {
  it('stops between two launches, frees its pool job and slot, and reports stopped', async () => {
    const n = node();
    n.cpu.held = true;
    const job = n.dispatch({ launches: 1_000 });
    const running = n.executor.handle(job, Date.now());
    await n.cpu.step();
    await n.cpu.step();
    await n.cpu.step();
    expect(n.hostPool.stats().openJobs).toBe(1);
    await n.executor.stop(n.stop(job));
    n.cpu.release();
    await running;
    const report = await n.final(job.jobId);
    expect(report).toMatchObject({ type: 'stopped', reason: 'cancelled', started: true });
    expect(report.type === 'stopped' && report.launchesDone).toBeGreaterThanOrEqual(3);
    expect(report.type === 'stopped' && report.launchesDone).toBeLessThan(10);
    expect(report.type === 'stopped' && report.checkpoint).toBeUndefined();
    expect(n.hostPool.stats()).toMatchObject({ openJobs: 0, usedBytes: 0, reservedBytes: 0 });
    expect(n.slots.inUse).toBe(0);
    expect(n.reports.filter((r) => r.jobId === job.jobId).map((r) => r.type)).toEqual(['started', 'stopped']);
  });

  it('on a preemption notice, a checkpointable run checkpoints; its next run resumes there', async () => {
    const n = node();
    n.cpu.held = true;
    const job = n.dispatch({ launches: 10, checkpointable: true });
    const running = n.executor.handle(job, Date.now());
    for (let i = 0; i < 4; i++) await n.cpu.step();
    await n.executor.stop(n.stop(job, { reason: 'preempted', graceMs: 30_000 }));
    n.cpu.release();
    await running;
    const stopped = await n.final(job.jobId);
    if (stopped.type !== 'stopped' || !stopped.checkpoint) throw new Error('no checkpoint');
    const done = stopped.checkpoint.launchesDone;
    expect(done).toBeGreaterThanOrEqual(4);
    expect(done).toBeLessThan(10);
    const before = n.cpu.launches;

    const resumed = { ...job, attempt: 2, checkpoint: stopped.checkpoint };
    await n.executor.handle(resumed, Date.now());
    const end = await n.final(job.jobId, 2);
    // Ten launches in all: the state carried over, and only the rest were run again.
    expect(ys(end)).toEqual([10, 10]);
    expect(n.cpu.launches - before).toBe(10 - done);
  });

  it('a notice without a grace, or for a job that does not checkpoint, stops without a checkpoint', async () => {
    const n = node();
    n.cpu.held = true;
    const job = n.dispatch({ launches: 10 });
    const running = n.executor.handle(job, Date.now());
    await n.cpu.step();
    await n.executor.stop(n.stop(job, { reason: 'preempted', graceMs: 30_000 }));
    n.cpu.release();
    await running;
    const report = await n.final(job.jobId);
    expect(report).toMatchObject({ type: 'stopped', reason: 'preempted' });
    expect(report.type === 'stopped' && report.checkpoint).toBeUndefined();
  });

  it('stops a run still waiting for a slot without starting it, and hands the slot back', async () => {
    const n = node([], 1);
    n.cpu.held = true;
    const first = n.dispatch({ launches: 3 });
    const waiting = n.dispatch({ launches: 3 });
    const runningFirst = n.executor.handle(first, Date.now());
    const runningSecond = n.executor.handle(waiting, Date.now());
    await n.cpu.step();
    await n.executor.stop(n.stop(waiting));
    await runningSecond;
    expect(await n.final(waiting.jobId)).toMatchObject({ type: 'stopped', started: false, launchesDone: 0 });
    n.cpu.release();
    await runningFirst;
    expect(ys(await n.final(first.jobId))).toEqual([3, 3]);
    expect(n.slots.inUse).toBe(0);
    expect(n.reports.some((r) => r.jobId === waiting.jobId && r.type === 'started')).toBe(false);
  });

  it('answers a stop for a run it does not hold, and never starts that run if it comes later', async () => {
    const n = node();
    const job = n.dispatch({ launches: 3 });
    await n.executor.stop(n.stop(job));
    expect(await n.final(job.jobId)).toMatchObject({ type: 'stopped', started: false });
    await n.executor.handle(job, Date.now());
    expect(n.cpu.launches).toBe(0);
    expect(n.reports.filter((r) => r.jobId === job.jobId).map((r) => r.type)).toEqual(['stopped']);
  });

  it('stops a run on a device between launches and closes its pool job there', async () => {
    const dev = new EmulatedDevice(h100Info(0), 8 << 20);
    const n = node([dev]);
    const job = n.dispatch({ launches: 100_000, deviceIndex: 0, cpuFallbackAllowed: false });
    const running = n.executor.handle(job, Date.now());
    for (let i = 0; i < 100 && dev.launches.length < 3; i++) await new Promise((r) => setTimeout(r, 2));
    expect(dev.pool.stats().openJobs).toBe(1);
    await n.executor.stop(n.stop(job, { reason: 'preempted' }));
    await running;
    const report = await n.final(job.jobId);
    expect(report).toMatchObject({ type: 'stopped', reason: 'preempted', started: true });
    expect(report.type === 'stopped' && report.launchesDone).toBeGreaterThanOrEqual(3);
    expect(dev.pool.stats()).toMatchObject({ openJobs: 0, usedBytes: 0, reservedBytes: 0 });
  });
});
