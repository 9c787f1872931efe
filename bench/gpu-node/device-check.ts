/**
 * The gpu-node agent on a real GPU, without Nest or Redis: the same NodeAgent the app wires,
 * fed JobDispatch messages through the in-process transport. Checks every built-in kernel on
 * the device against the CPU runner, a signed custom PTX kernel end to end (and a tampered
 * one refused), a tenant over its VRAM share (quota-oom) beside another tenant's jobs, many
 * tenants' jobs at once with the pool back to zero afterwards, the DCGM metrics and the
 * heartbeat's device entry. Bundled by build.mjs next to the addon; writes
 * gpu-node-device-latest.json to $OUT (or bench/results); exits non-zero on a failed check.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Registry } from 'prom-client';

import {
  JOB_REPORTS_QUEUE,
  reportsIn,
  type ReportMessage,
  type JobDispatch,
  type JobReport,
  type KernelInputs,
} from '@voxelfleet/contracts';
import { CpuKernelRunner, signKernel } from '@voxelfleet/cuda';
import { InProcessTransport } from '@voxelfleet/transport';
import {
  computeEvidence,
  evidenceJobInputs,
  evidenceResultOf,
  randomEvidenceRequest,
} from '@voxelfleet/voxel';
import { NodeAgent } from '../../apps/gpu-node/src/agent/node-agent.js';
import { agentTuning } from '../../apps/gpu-node/src/gpu-node.config.js';

const here = dirname(fileURLToPath(import.meta.url));
process.env.VOXELFLEET_CUDA_ADDON ??= join(here, 'voxelfleet_cuda.node');
const outDir = process.env.OUT ?? join(process.cwd(), 'bench', 'results');

const checks: { name: string; ok: boolean; detail: string }[] = [];
function check(name: string, ok: boolean, detail = ''): void {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

const f32 = (a: Float32Array) => ({
  base64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
  dtype: 'f32' as const,
});
const u32 = (a: Uint32Array) => ({
  base64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
  dtype: 'u32' as const,
});
function decodeF32(v: unknown): Float32Array {
  const b = Buffer.from((v as { base64: string }).base64, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
function decodeU32(v: unknown): Uint32Array {
  const b = Buffer.from((v as { base64: string }).base64, 'base64');
  return new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1);
}
const maxRelErr = (a: Float32Array, b: Float32Array) =>
  a.length !== b.length
    ? Infinity
    : a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!) / Math.max(1, Math.abs(b[i]!))), 0);

async function main(): Promise<void> {
  const transport = new InProcessTransport();
  const logger = pino({ level: 'warn' });
  const registry = new Registry();
  const agent = new NodeAgent('device-check', agentTuning({}), transport, registry, logger);
  if (!agent.devices.devices.length)
    throw new Error(`no device: ${agent.devices.discovery.reason ?? 'unknown'}`);
  const device = agent.devices.devices[0]!;
  console.log(`device: ${device.dev.info.name}`);

  const waiting = new Map<string, (r: JobReport) => void>();
  transport.consume<ReportMessage>(JOB_REPORTS_QUEUE, (job) => {
    for (const report of reportsIn(job.data))
      if (report.type !== 'started') waiting.get(report.jobId)?.(report);
    return Promise.resolve();
  });
  let seq = 0;
  const run = (
    partial: Partial<JobDispatch> & Pick<JobDispatch, 'kernel' | 'inputs'>,
  ): Promise<JobReport> => {
    const dispatch: JobDispatch = {
      jobId: `job-${++seq}`,
      attempt: 1,
      tenantId: 'tenant-a',
      deviceIndex: 0,
      vramBytes: 64 * 2 ** 20,
      cpuFallbackAllowed: false,
      timeoutMs: 30_000,
      dispatchedAtMs: Date.now(),
      ...partial,
    };
    return new Promise((resolve) => {
      waiting.set(dispatch.jobId, resolve);
      void agent.executor.handle(dispatch, Date.now());
    });
  };
  const output = (r: JobReport): KernelInputs => (r.type === 'succeeded' ? r.output : {});
  const onDevice = (r: JobReport) => r.type === 'succeeded' && r.where === 'cuda';
  const describe = (r: JobReport) =>
    r.type === 'failed'
      ? `${r.error.code}: ${r.error.message}`
      : `${r.type} on ${'where' in r ? r.where : '?'}`;

  const cpu = new CpuKernelRunner();
  // Built-in kernels, sizes that are not multiples of the block size.
  const n = 1_000_003;
  const x = random(n, 1);
  const y = random(n, 2);
  const saxpy = await run({ kernel: { name: 'saxpy' }, inputs: { a: 1.5, x: f32(x), y: f32(y) } });
  const saxpyErr = maxRelErr(decodeF32(output(saxpy).y), await cpu.saxpy(1.5, x, y));
  check(
    'saxpy on the device == CPU',
    onDevice(saxpy) && saxpyErr < 1e-6,
    `${describe(saxpy)}, rel err ${saxpyErr}`,
  );
  const reduce = await run({ kernel: { name: 'reduce.sum' }, inputs: { x: f32(x) } });
  const sum = output(reduce).sum as number;
  const ref = await cpu.reduceSum(x);
  check(
    'reduce.sum on the device == CPU',
    onDevice(reduce) && Math.abs(sum - ref) <= 1e-6 * n,
    `${describe(reduce)}, ${sum} vs ${ref}`,
  );
  const ints = Uint32Array.from({ length: 300_007 }, (_, i) => (i * 2654435761) >>> 0);
  const scan = await run({ kernel: { name: 'scan.exclusive' }, inputs: { x: u32(ints) } });
  const scanRef = await cpu.scanExclusive(ints);
  const scanOut = decodeU32(output(scan).y);
  check(
    'scan.exclusive on the device == CPU',
    onDevice(scan) && scanOut.every((v, i) => v === scanRef[i]) && scanOut.length === scanRef.length,
    describe(scan),
  );
  const [m, k, nn] = [129, 67, 131];
  const a = random(m * k, 3);
  const b = random(k * nn, 4);
  const mm = await run({ kernel: { name: 'matmul.f32' }, inputs: { a: f32(a), b: f32(b), m, n: nn, k } });
  const mmErr = maxRelErr(decodeF32(output(mm).c), await cpu.matmulF32(a, b, m, nn, k));
  check('matmul.f32 on the device == CPU', onDevice(mm) && mmErr < 1e-5, `${describe(mm)}, rel err ${mmErr}`);
  const noop = await run({ kernel: { name: 'noop' }, inputs: {} });
  check('noop on the device', onDevice(noop), describe(noop));

  // voxel.evidence as the tracker submits it (sparse motion as pixel lists), on the device.
  // Seed 16: five cameras with sparse motion (a few per cent of pixels) and 464 evidence voxels.
  const sparse = randomEvidenceRequest(16);
  const evidenceInputs = evidenceJobInputs(sparse);
  const evidence = await run({ kernel: { name: 'voxel.evidence' }, inputs: evidenceInputs });
  const evidenceRef = computeEvidence(sparse);
  const evidenceOut = evidence.type === 'succeeded' ? evidenceResultOf(evidence.output) : null;
  check(
    'voxel.evidence from pixel lists on the device == CPU',
    'pixels' in evidenceInputs &&
      onDevice(evidence) &&
      evidenceOut !== null &&
      evidenceRef.indices.length > 0 &&
      evidenceOut.indices.length === evidenceRef.indices.length &&
      evidenceOut.indices.every(
        (v, i) => v === evidenceRef.indices[i] && evidenceOut.masks[i] === evidenceRef.masks[i],
      ),
    `${describe(evidence)}, ${evidenceOut?.indices.length ?? 0} voxels vs ${evidenceRef.indices.length}`,
  );

  // A signed custom kernel, end to end, and the same kernel tampered with.
  const ptx = readFileSync(join(here, 'custom-kernels.ptx'), 'utf8');
  const key = generateKeyPairSync('ed25519');
  const signed = signKernel(
    ptx,
    {
      name: 'scale-add',
      entry: 'scale_add',
      keyId: 'k1',
      limits: { maxGrid: [65535, 1, 1], maxBlock: [1024, 1, 1], maxThreadsPerBlock: 1024, maxSharedBytes: 0 },
      params: [
        { name: 'y', type: 'ptr' },
        { name: 'x', type: 'ptr' },
        { name: 'n', type: 'u32' },
        { name: 'a', type: 'f32' },
      ],
    },
    key.privateKey,
  );
  const custom = {
    kernelId: 'scale-add',
    ptx: signed.ptx,
    manifest: signed.manifest as unknown as Record<string, unknown>,
    signature: signed.signature,
    publicKeyPem: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    launch: {
      grid: [Math.ceil(4099 / 256), 1, 1] as [number, number, number],
      block: [256, 1, 1] as [number, number, number],
    },
  };
  const cx = random(4099, 5);
  const cy = random(4099, 6);
  const good = await run({
    kernel: { name: 'scale-add', custom },
    inputs: { y: f32(cy), x: f32(cx), n: 4099, a: 2 },
  });
  const customErr =
    good.type === 'succeeded' ? maxRelErr(decodeF32(good.output.y), await cpu.saxpy(2, cx, cy)) : Infinity;
  check(
    'signed custom kernel runs on the device',
    onDevice(good) && customErr < 1e-6,
    `${describe(good)}, rel err ${customErr}`,
  );
  const tampered = await run({
    kernel: { name: 'scale-add', custom: { ...custom, ptx: custom.ptx.replace('scale_add', 'scale_adx') } },
    inputs: { y: f32(cy), x: f32(cx), n: 4099, a: 2 },
  });
  check(
    'tampered custom kernel refused',
    tampered.type === 'failed' && tampered.error.code === 'kernel-rejected',
    describe(tampered),
  );

  // One tenant over its VRAM share, another tenant's jobs unaffected.
  const capacity = device.dev.pool.stats().capacityBytes;
  const greedy = await run({
    tenantId: 'tenant-greedy',
    vramBytes: capacity,
    kernel: { name: 'noop' },
    inputs: {},
  });
  check(
    'tenant over its VRAM share gets quota-oom',
    greedy.type === 'failed' && greedy.error.code === 'quota-oom',
    describe(greedy),
  );

  // Many small jobs of four tenants at once; the pool ends with nothing held.
  const t0 = performance.now();
  const many = await Promise.all(
    Array.from({ length: 400 }, (_, i) => {
      const xs = random(4096, 100 + i);
      return run({
        tenantId: `tenant-${i % 4}`,
        vramBytes: 2 ** 20,
        kernel: { name: 'saxpy' },
        inputs: { a: 2, x: f32(xs), y: f32(xs) },
      });
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const okCount = many.filter(onDevice).length;
  check(
    '400 concurrent jobs of 4 tenants succeed on the device',
    okCount === 400,
    `${okCount} ok in ${seconds.toFixed(2)} s (${(400 / seconds).toFixed(0)} jobs/s)`,
  );
  const stats = device.dev.pool.stats();
  check(
    'pool holds nothing after the jobs',
    stats.liveAllocations === 0 && stats.usedBytes === 0,
    JSON.stringify({ live: stats.liveAllocations, used: stats.usedBytes }),
  );

  // The heartbeat samples NVML once a second; do what one beat does.
  agent.sampleDevices();
  const metrics = await registry.metrics();
  for (const name of [
    'DCGM_FI_DEV_GPU_UTIL',
    'DCGM_FI_DEV_FB_USED',
    'DCGM_FI_DEV_GPU_TEMP',
    'DCGM_FI_DEV_POWER_USAGE',
  ]) {
    const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`));
    check(
      `metric ${name} exported with device labels`,
      !!line && line.includes('UUID="GPU-') && line.includes('modelName='),
      line ?? 'missing',
    );
  }
  const beat = device.heartbeat();
  check(
    'heartbeat device entry has capability, telemetry and pool',
    beat.capability?.computeCapability?.major === 9 &&
      beat.telemetry?.temperatureC !== null &&
      beat.pool !== undefined,
    JSON.stringify({ capability: beat.capability, telemetry: beat.telemetry }),
  );

  await agent.cpu.close();
  await transport.close();
  const failed = checks.filter((c) => !c.ok).length;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'gpu-node-device-latest.json'),
    `${JSON.stringify({ name: 'gpu-node-device', date: new Date().toISOString(), machine: device.dev.info.name, checks, failed }, null, 2)}\n`,
  );
  console.log(`checks failed: ${failed}`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(`gpu-node device check: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 2;
});
