/**
 * The built stack on a GPU machine, end to end, through its public APIs only. Starts the bundle
 * beside this file (`node main.js`, as `npm start` does, embedded defaults), then as a user:
 * a tenant, a service principal with a key and a grant for Hopper-class devices; every
 * built-in kernel and a signed custom kernel through POST /v1/jobs, each checked against the
 * CPU reference and for the GPU it ran on; a recording replayed into a tracker stream with
 * evidence on the fleet; cameras sending motion pixels at a fixed rate (frame-set in → tracks
 * out through tracker → scheduler → gpu-node → tracker); /admin/gpu/stats and the node's DCGM
 * series. Writes gpu-e2e-latest.json to $OUT (or bench/results) and exits non-zero when a
 * check fails. Built by build.mjs; GPU_E2E_ALLOW_CPU=1 runs it on a machine without a GPU
 * (jobs may fall back to the CPU; nothing is then claimed for the GPU).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiCalls } from './api-client.js';
import { motionThroughput, replayThroughFleet, type ThroughputReport } from './fleet-stream.js';
import { runKernelJobs } from './kernel-jobs.js';
import { startStack } from './stack-process.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.env.OUT ?? join(process.cwd(), 'bench', 'results');
const allowCpu = process.env.GPU_E2E_ALLOW_CPU === '1';
const envNumber = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const checks: { name: string; ok: boolean; detail: string }[] = [];
function check(name: string, ok: boolean, detail: string): void {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
}

interface NodeStats {
  nodeId: string;
  devices: {
    name: string;
    vram: { totalBytes: number; usedBytes: number; peakBytes: number };
    utilization: number | null;
  }[];
}

async function main(): Promise<void> {
  const stack = await startStack(join(here, 'main.js'));
  console.log(`stack up in ${stack.startedInMs} ms`);
  const calls = new ApiCalls();
  const admin = calls.client(stack.gateway, stack.adminKey);
  let exitCode: number | null;
  try {
    const tenant = await admin.expect<{ id: string }>(201, 'POST', '/admin/tenants', {
      name: `gpu-e2e-${Date.now()}`,
      edition: 'enterprise',
    });
    const principal = await admin.expect<{ id: string }>(201, 'POST', '/admin/principals', {
      tenantId: tenant.id,
      kind: 'service',
      name: 'gpu-e2e',
      roles: ['tenant-admin'],
    });
    const { key } = await admin.expect<{ key: string }>(
      201,
      'POST',
      `/admin/principals/${principal.id}/keys`,
      {
        label: 'gpu-e2e',
      },
    );
    await admin.expect(201, 'POST', '/admin/grants', {
      principalId: principal.id,
      kernels: ['**'],
      deviceClasses: [allowCpu ? '*' : 'sm_90+'],
      cpuFallback: true,
    });
    const gateway = calls.client(stack.gateway, key);
    const tracker = calls.client(stack.tracker, key);

    const nodes = await admin.expect<{ nodes?: unknown[] } | unknown[]>(200, 'GET', '/admin/gpu/nodes');
    console.log(`nodes: ${JSON.stringify(nodes).slice(0, 600)}`);

    const jobs = await runKernelJobs(gateway, admin, tenant.id, join(here, 'custom-kernels.ptx'), allowCpu);
    const jobsOnGpu = jobs.filter((job) => job.onGpu && job.correct).length;
    check(
      'every kernel job ran on the GPU and matched the CPU',
      jobsOnGpu === jobs.length,
      `${jobsOnGpu}/${jobs.length}: ${jobs
        .filter((job) => !(job.onGpu && job.correct))
        .map((job) => `${job.kernel} (${job.stateReason}; ${job.detail})`)
        .join('; ')}`,
    );

    const replay = await replayThroughFleet(tracker, gateway, stack.tracker, key, stack.tracker);
    check(
      'replayed recording tracked with evidence on the GPU',
      replay.processed === replay.frameSets &&
        replay.lost === 0 &&
        replay.evidenceBackend === 'fleet' &&
        replay.placement.evidenceJobs >= replay.frameSets &&
        replay.placement.onGpu === replay.placement.evidenceJobs,
      JSON.stringify(replay),
    );

    const throughput: ThroughputReport[] = [];
    const resolutions = (process.env.GPU_E2E_RESOLUTIONS ?? '3840x2160,1920x1080').split(',');
    for (const resolution of resolutions) {
      const [width, height] = resolution.split('x').map(Number) as [number, number];
      const report = await motionThroughput(tracker, gateway, stack.tracker, key, {
        cameras: envNumber('GPU_E2E_CAMERAS', 20),
        width,
        height,
        targets: envNumber('GPU_E2E_TARGETS', 5),
        // Drones of about 0.6 m: a voxel and a half across at 0.2 m voxels.
        targetRadius: 0.3,
        rate: envNumber('GPU_E2E_RATE', 30),
        seconds: envNumber('GPU_E2E_SECONDS', 20),
      });
      console.log(`throughput ${resolution}: ${JSON.stringify(report)}`);
      throughput.push(report);
    }
    const headline = throughput[0];
    if (headline) {
      check(
        'fleet stream kept up with no gap and evidence on the GPU',
        headline.processed === headline.sent &&
          headline.lost === 0 &&
          headline.rejected.length === 0 &&
          headline.placement.onGpu === headline.placement.evidenceJobs,
        `${headline.processed}/${headline.sent} processed, ${headline.lost} lost, ${headline.rejected.length} refused, ` +
          `evidence on GPU ${headline.placement.onGpu}/${headline.placement.evidenceJobs}`,
      );
    }

    const stats = await admin.expect<{ nodes: NodeStats[] }>(200, 'GET', '/admin/gpu/stats');
    const metrics = await calls.client(stack.gpuNode, stack.adminKey).text('/metrics');
    const dcgm = [...new Set(metrics.split('\n').flatMap((line) => /^(DCGM_FI_\w+)/.exec(line)?.[1] ?? []))];
    const device = stats.nodes.flatMap((node) => node.devices)[0];
    check(
      '/admin/gpu/stats shows the real device and the node exports DCGM series',
      allowCpu || (device !== undefined && device.vram.totalBytes > 0 && dcgm.length >= 3),
      `${device ? `${device.name}, ${(device.vram.totalBytes / 2 ** 30).toFixed(1)} GiB` : 'no device'}; DCGM: ${dcgm.join(', ')}`,
    );
    check(
      'no 5xx answered',
      calls.serverErrors.length === 0,
      calls.serverErrors.slice(0, 5).join(' | ') || 'none',
    );

    const result = {
      name: 'gpu-e2e',
      date: new Date().toISOString(),
      machine: `${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
      device: device ? { name: device.name, vramBytes: device.vram.totalBytes } : null,
      how: 'the bundled stack (node main.js, embedded defaults) driven through its public REST and socket APIs',
      jobs_on_gpu: jobsOnGpu,
      jobs_total: jobs.length,
      fleet_framesets_per_s: headline?.framesetsPerS ?? null,
      fleet_p99_ms: headline?.clientP99Ms ?? null,
      fleet_p50_ms: headline?.clientP50Ms ?? null,
      goals: { fleet_framesets_per_s: 30, fleet_p99_ms: 50, at: '20 cameras 3840x2160' },
      stack_started_in_ms: stack.startedInMs,
      jobs,
      replay,
      throughput,
      gpu_stats: stats,
      dcgm_series: dcgm,
      api_answers_by_status: calls.byStatus,
      checks,
    };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'gpu-e2e-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    exitCode = await stack.stop();
    console.log(`stack exited with ${exitCode}; ${stack.problems.length} stderr lines`);
  }
  check('the stack stopped cleanly on SIGTERM', exitCode === 0, `exit ${exitCode}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`gpu-e2e: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
