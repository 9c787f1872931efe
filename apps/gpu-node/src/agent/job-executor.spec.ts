import { afterEach, describe, expect, it } from '@jest/globals';
import { JOB_REPORTS_QUEUE, type JobDispatch, type JobReport } from '@voxelfleet/contracts';
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

/** The CPU path in this thread (the worker pool needs the built worker file). */
class InThreadCpu implements CpuRunner {
  calls = 0;
  batches: number[] = [];
  async run(calls: KernelCall[]): Promise<CpuTaskOutcome> {
    this.calls += calls.length;
    this.batches.push(calls.length);
    const runner = new CpuKernelRunner();
    const outcomes = [];
    for (const c of calls) outcomes.push({ ok: true as const, result: await runKernel(runner, c), ms: 0 });
    return { status: 'done', outcomes };
  }
}

const open: InProcessTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function node(devs: EmulatedDevice[], tuning: { gate?: number; batchMaxJobs?: number } = {}) {
  const transport = new InProcessTransport();
  open.push(transport);
  const reports: JobReport[] = [];
  transport.consume<JobReport>(JOB_REPORTS_QUEUE, (j) => {
    reports.push(j.data);
    return Promise.resolve();
  });
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const registry = new Registry();
  const devices = DeviceSet.of(
    devs.map((d) => new GpuDevice(d.asCudaDevice())),
    {
      available: true,
      state: 'ready',
      reason: null,
      addon: { loaded: true, path: null },
      driverVersion: '13.0',
      runtimeVersion: '13.0',
      nvmlReason: null,
      devices: devs.map((d) => d.info),
    },
  );
  const hostPool = new VramPool(new AccountingBacking(), { capacityBytes: 2 ** 30 });
  const cpu = new InThreadCpu();
  const metrics = new NodeMetrics(registry, devices, hostPool);
  const executor = new JobExecutor(
    devices,
    cpu,
    hostPool,
    new SlotGate(tuning.gate ?? 4),
    new JobReporter(transport, logger),
    metrics,
    logger,
    {
      nodeId: 'n1',
      limits: { maxInputBytes: 2 ** 20, maxOutputBytes: 2 ** 20 },
      budgets: { defaultMs: 1000, byKernel: {} },
      tinyJobBytes: 1024,
      batchWindowMs: 5,
      batchMaxJobs: tuning.batchMaxJobs ?? 1,
    },
  );
  let seq = 0;
  const run = async (patch: Partial<JobDispatch>): Promise<JobReport> => {
    const job: JobDispatch = {
      jobId: `j${++seq}`,
      attempt: 1,
      tenantId: 'tenant-a',
      kernel: { name: 'saxpy' },
      inputs: { a: 2, x: [1, 2, 3], y: [1, 1, 1] },
      deviceIndex: 0,
      vramBytes: 4096,
      cpuFallbackAllowed: false,
      timeoutMs: 1000,
      dispatchedAtMs: Date.now(),
      ...patch,
    };
    await executor.handle(job, Date.now());
    for (let i = 0; i < 100; i++) {
      const r = reports.find((x) => x.jobId === job.jobId && x.type !== 'started');
      if (r) return r;
      await new Promise((res) => setTimeout(res, 5));
    }
    throw new Error(`no final report for ${job.jobId}`);
  };
  return { executor, devices, reports, logs, registry, cpu, run };
}

const y = (r: JobReport) => {
  if (r.type !== 'succeeded') throw new Error(`job failed: ${JSON.stringify(r)}`);
  const { base64 } = r.output.y as { base64: string };
  const raw = Buffer.from(base64, 'base64');
  return [...new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))];
};

describe('JobExecutor on an emulated device', () => {
  it('runs a built-in kernel on the named device, inside the dispatch pool job', async () => {
    const dev = new EmulatedDevice(h100Info(0), 8 << 20);
    const { run, reports, cpu } = node([dev]);
    const r = await run({});
    expect(r).toMatchObject({ type: 'succeeded', where: 'cuda', deviceIndex: 0 });
    expect(y(r)).toEqual([3, 5, 7]);
    expect(reports.find((x) => x.type === 'started')).toMatchObject({ where: 'cuda', deviceIndex: 0 });
    expect(dev.launches).toEqual(['saxpy']);
    expect(cpu.calls).toBe(0);
    // Closed at the end: nothing held, the reservation gone, the allocations counted.
    const stats = dev.pool.stats();
    expect(stats).toMatchObject({ openJobs: 0, usedBytes: 0, reservedBytes: 0 });
    expect(stats.tenants['tenant-a']).toMatchObject({ allocations: 2, usedBytes: 0 });
  });

  it('launches noop on the device', async () => {
    const dev = new EmulatedDevice(h100Info(0), 8 << 20);
    const r = await node([dev]).run({ kernel: { name: 'noop' }, inputs: {} });
    expect(r).toMatchObject({ type: 'succeeded', where: 'cuda', output: {} });
    expect(dev.launches).toEqual(['noop']);
  });

  it('refuses a declared peak over the tenant share with quota-oom, leaving other tenants alone', async () => {
    const dev = new EmulatedDevice(h100Info(0), 8 << 20, 1 << 20);
    const { run, registry } = node([dev]);
    expect(await run({ vramBytes: 2 << 20 })).toMatchObject({
      type: 'failed',
      error: { code: 'quota-oom', retryable: true },
    });
    expect(await run({ tenantId: 'tenant-b', vramBytes: 512 << 10 })).toMatchObject({ type: 'succeeded' });
    expect(await registry.metrics()).toMatch(
      /voxelfleet_vram_allocation_failures_total\{kind="soft",gpu="0"\} 1/,
    );
  });

  it('falls back to the CPU after a hard OOM when allowed, and fails device-oom when not', async () => {
    const dev = new EmulatedDevice(h100Info(0), 2 << 20);
    const { run } = node([dev]);
    const refused = await run({ vramBytes: 64 << 20 });
    expect(refused).toMatchObject({ type: 'failed', error: { code: 'device-oom', retryable: true } });
    const fallback = await run({ vramBytes: 64 << 20, cpuFallbackAllowed: true });
    expect(fallback).toMatchObject({ type: 'succeeded', where: 'cpu' });
    expect(fallback.type === 'succeeded' && fallback.fallbackReason).toMatch(/device 0 ran out of memory/);
    expect(y(fallback)).toEqual([3, 5, 7]);
  });

  it('takes a device lost mid-run out alone, falls back when allowed, keeps using the other device', async () => {
    const d0 = new EmulatedDevice(h100Info(0), 8 << 20);
    const d1 = new EmulatedDevice(h100Info(1), 8 << 20);
    const { run, devices, logs, executor } = node([d0, d1]);
    d0.nextLaunch = 'lose';
    const r = await run({ cpuFallbackAllowed: true });
    expect(r).toMatchObject({ type: 'succeeded', where: 'cpu' });
    expect(r.type === 'succeeded' && r.fallbackReason).toMatch(/device 0 was lost mid-run/);
    expect(y(r)).toEqual([3, 5, 7]);
    expect(logs.find((l) => l.event === 'cpu-fallback')).toMatchObject({
      level: 40,
      jobId: 'j1',
      deviceIndex: 0,
    });
    expect(executor.fallbacks).toBe(1);

    expect(devices.health()).toEqual([
      { index: 0, healthy: false, reason: 'device lost' },
      { index: 1, healthy: true, reason: undefined },
    ]);
    expect(await run({})).toMatchObject({ type: 'failed', error: { code: 'fallback-not-allowed' } });
    expect(await run({ deviceIndex: 1 })).toMatchObject({ type: 'succeeded', where: 'cuda', deviceIndex: 1 });
    expect(devices.get(0)!.heartbeat().healthy).toBe(false);
    expect(devices.get(1)!.heartbeat().healthy).toBe(true);
  });

  it('fails a device run past its limit with timeout, and frees the lane and pool job when the work ends', async () => {
    const dev = new EmulatedDevice(h100Info(0), 8 << 20);
    const { run } = node([dev]);
    dev.nextLaunch = 'hang';
    expect(await run({ timeoutMs: 30 })).toMatchObject({
      type: 'failed',
      error: { code: 'timeout', retryable: false },
    });
    expect(dev.pool.stats().openJobs).toBe(1);
    dev.hung.shift()!();
    await new Promise((r) => setTimeout(r, 10));
    expect(dev.pool.stats()).toMatchObject({ openJobs: 0, usedBytes: 0 });
  });

  it('rejects custom kernels whose signature does not verify, with an audit line, before touching the device', async () => {
    const dev = new EmulatedDevice(h100Info(0), 8 << 20);
    const { run, logs } = node([dev]);
    const r = await run({
      kernel: {
        name: 'k',
        custom: {
          kernelId: 'k',
          ptx: '.visible .entry k() { ret; }',
          manifest: {
            name: 'k',
            entry: 'k',
            keyId: 'key-1',
            ptxSha256: '0',
            params: [],
            limits: { maxGrid: [1, 1, 1], maxBlock: [32, 1, 1], maxThreadsPerBlock: 32, maxSharedBytes: 0 },
          },
          launch: { grid: [1, 1, 1], block: [32, 1, 1] },
        },
      },
      inputs: {},
    });
    expect(r).toMatchObject({ type: 'failed', error: { code: 'kernel-rejected', retryable: false } });
    expect(r.type === 'failed' && r.error.message).toMatch(/no signature/);
    expect(logs.find((l) => l.audit === true)).toMatchObject({
      event: 'kernel.rejected',
      tenantId: 'tenant-a',
      kernel: { code: 'KERNEL_UNSIGNED' },
    });
    expect(dev.launches).toEqual([]);
  });
});

describe('JobExecutor on the CPU path', () => {
  it('batches tiny jobs of one tenant into one round trip under one slot', async () => {
    const { run, cpu } = node([], { gate: 1, batchMaxJobs: 16 });
    const reports = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        run({ deviceIndex: undefined, kernel: { name: 'reduce.sum' }, inputs: { x: [i] } }),
      ),
    );
    reports.forEach((r, i) =>
      expect(r).toMatchObject({ type: 'succeeded', where: 'cpu', output: { sum: i } }),
    );
    expect(cpu.batches).toEqual([6]);
  });

  it('hands back jobs still waiting for a slot when draining, and takes no new ones', async () => {
    const { run, executor, cpu } = node([], { gate: 1 });
    await executor.gate.acquire(); // a running job holds the only slot
    const waiting = run({ deviceIndex: undefined });
    await new Promise((r) => setTimeout(r, 5));
    executor.drain();
    expect(await waiting).toMatchObject({
      type: 'failed',
      error: { code: 'node-draining', retryable: true },
    });
    expect(await run({ deviceIndex: undefined })).toMatchObject({
      type: 'failed',
      error: { code: 'node-draining' },
    });
    expect(cpu.calls).toBe(0);
  });
});

describe('device heartbeat and metrics', () => {
  it('reports capability, telemetry and pool state, and exports DCGM series', async () => {
    const dev = new EmulatedDevice(h100Info(0), 8 << 20, Number.POSITIVE_INFINITY, {
      available: true,
      reason: null,
      utilizationGpuPct: 42,
      temperatureC: 55,
      powerW: 300,
      powerLimitW: 700,
      smClockMHz: 1755,
      memoryUsedBytes: 2 ** 30,
      memoryTotalBytes: 80 * 2 ** 30,
      xidErrors: '13',
    });
    const { run, devices, registry } = node([dev]);
    await run({});
    const gpu = devices.get(0)!;
    gpu.sample();
    const hb = gpu.heartbeat();
    expect(hb).toMatchObject({
      index: 0,
      uuid: 'GPU-emulated-0',
      name: 'NVIDIA H100 80GB HBM3',
      capability: { architecture: 'hopper', computeCapability: { major: 9, minor: 0 }, tensorCores: true },
      telemetry: {
        utilization: 0.42,
        temperatureC: 55,
        powerW: 300,
        smClockMhz: 1755,
        throttling: false,
        xidErrors: 1,
      },
      pool: {
        capacityBytes: 8 << 20,
        allocatedBytes: 0,
        byTenant: { 'tenant-a': 0 },
        allocations: 2,
        allocationFailures: 0,
      },
      healthy: true,
    });
    const text = await registry.metrics();
    expect(text).toContain(
      'DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-emulated-0",modelName="NVIDIA H100 80GB HBM3",Hostname=',
    );
    expect(text).toMatch(/DCGM_FI_DEV_FB_USED\{[^}]*\} 1024/);
    expect(text).toMatch(/DCGM_FI_DEV_XID_ERRORS\{[^}]*\} 13/);
    expect(text).toMatch(/voxelfleet_vram_allocated_bytes\{tenant="tenant-a",gpu="0"\} 0/);
    expect(text).toMatch(/voxelfleet_node_jobs_total\{outcome="succeeded",where="cuda",kernel="saxpy"\} 1/);
  });

  it('takes a device out on a fatal Xid', () => {
    const dev = new EmulatedDevice(h100Info(0), 1 << 20, Number.POSITIVE_INFINITY, {
      available: true,
      reason: null,
      xidErrors: '79',
    });
    const { devices } = node([dev]);
    devices.get(0)!.sample();
    expect(devices.health()).toEqual([{ index: 0, healthy: false, reason: 'Xid 79' }]);
  });
});
