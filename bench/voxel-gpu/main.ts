/**
 * `bench:voxel-gpu`: the tracking pipeline with the evidence step on the GPU, frame-set in to
 * tracks out, on the GPU scene (20 cameras 1920x1080, 50 targets, 512³). Motion extraction
 * runs on CPU worker threads (one per core), evidence through the CUDA addon
 * (coarse-to-fine), detection and tracking on the main thread. Checks the GPU evidence
 * against the CPU path on two frame-sets and reports the kernel time against its bytes floor.
 * Bundled with its workers and the addon by build.mjs; writes voxel-gpu-latest.json to $OUT
 * (or bench/results).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';
import {
  EvidenceWorkerPool,
  MotionWorkerPool,
  TrackingPipeline,
  createSyntheticScene,
  scoreTracking,
  type EvaluatedFrame,
  type GreyFrame,
  type MaskOccupancy,
} from '@voxelfleet/voxel';
import { CudaDevice, CudaKernelRunner, discoverDevices } from '../../libs/cuda/src/index.js';
import { sameEvidence } from '../../libs/cuda/src/kernels/kernel-cases.js';
import { GPU_SCENE } from './gpu-scene.js';

const here = dirname(fileURLToPath(import.meta.url));
process.env.VOXELFLEET_CUDA_ADDON ??= join(here, 'voxelfleet_cuda.node');
const outDir = process.env.OUT ?? join(process.cwd(), 'bench', 'results');
/** Frame-sets whose GPU evidence is compared with the CPU path (it takes seconds each). */
const CHECKED_FRAMES = 2;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

async function copyBandwidthGbps(dev: CudaDevice): Promise<number> {
  const st = dev.createStream();
  dev.pool.openJob('copy', 'bench');
  const bytes = 2 ** 30;
  const a = dev.pool.alloc('copy', bytes);
  const b = dev.pool.alloc('copy', bytes);
  await dev.launch('fill.u32', st, [bytes / 4, a.address, 0x3f800000]);
  await dev.copy(st, b.address, a.address, bytes, 2);
  const ms = (await dev.copy(st, b.address, a.address, bytes, 10)).gpuMs / 10;
  dev.pool.closeJob('copy');
  return (2 * bytes) / (ms / 1000) / 1e9;
}

async function main(): Promise<void> {
  const found = discoverDevices();
  if (!found.available) throw new Error(`no CUDA device: ${found.reason ?? 'unknown reason'}`);
  const dev = CudaDevice.open(0);
  const copyGbps = await copyBandwidthGbps(dev);
  console.log(`device ${found.devices[0]!.name}; device-to-device copy ${copyGbps.toFixed(0)} GB/s`);

  const t0 = performance.now();
  const scene = createSyntheticScene(GPU_SCENE);
  const { cameras, grid } = scene;
  const rendered: GreyFrame[][] = [];
  for (let f = 0; f < scene.totalFrames; f++) rendered.push(cameras.map((_, k) => scene.renderFrame(f, k)));
  console.log(
    `scene: ${cameras.length} cameras ${cameras[0]!.width}x${cameras[0]!.height}, ${scene.options.targets} targets, ` +
      `grid ${grid.dims.join('x')} @ ${grid.voxelSize} m; ${scene.totalFrames} frame-sets rendered in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // One camera per motion worker keeps a second camera off the critical path; on fewer cores
  // the threads share them.
  const workers = Math.min(cameras.length, Math.max(1, 2 * cpus().length));
  const motionPool = new MotionWorkerPool(cameras, {}, workers);
  const cpuEvidence = new EvidenceWorkerPool(Math.max(1, Math.min(cpus().length, 16)));
  const runner = new CudaKernelRunner(dev, 'bench');
  const pipeline = new TrackingPipeline({ cameras, grid, maxVoxels: 4_000_000 });

  let evidenceMs = 0;
  let kernelMs: number[] = [];
  let checks = 0;
  let mismatches = 0;
  let evidenceVoxels = 0;
  let evidenceCalledAt = 0;
  let evidenceDoneAt = 0;
  const evidence = async (req: EvidenceRequest, occupancy: MaskOccupancy[]): Promise<EvidenceResult> => {
    const t = performance.now();
    evidenceCalledAt = t;
    const result = await runner.voxelEvidence(req);
    evidenceDoneAt = performance.now();
    evidenceMs += evidenceDoneAt - t;
    kernelMs.push(runner.lastLaunchMs);
    evidenceVoxels = result.indices.length;
    if (checks < CHECKED_FRAMES && result.indices.length > 0) {
      checks++;
      const cpu = await cpuEvidence.computeEvidence(req, occupancy);
      if (!sameEvidence(result, cpu)) mismatches++;
      console.log(
        `check ${checks}: GPU ${sameEvidence(result, cpu) ? '==' : '!='} CPU (${cpu.indices.length} voxels)`,
      );
    }
    return result;
  };

  // Two stages overlap as they would on a live feed: the workers extract frame-set f+1's
  // motion while the main thread and the GPU turn frame-set f into tracks. A frame-set's
  // latency runs from handing its frames to the motion stage to its tracks coming out.
  const lead = scene.options.leadInFrames;
  const latencies: number[] = [];
  const motionMs: number[] = [];
  const evidenceStepMs: number[] = [];
  const prepareMs: number[] = [];
  const finishMs: number[] = [];
  const evaluated: EvaluatedFrame[] = [];
  let rays = 0;
  let voxelsReported = 0;
  const startMotion = (f: number) => {
    const startedAt = performance.now();
    // Frames are handed over, not copied, as a live ingest would.
    const motions = motionPool.extract(rendered[f]!, true).then((m) => ({ m, doneAt: performance.now() }));
    return { startedAt, motions };
  };
  let next = startMotion(0);
  let firstTimedAt = 0;
  for (let f = 0; f < scene.totalFrames; f++) {
    const timed = f >= lead + 1 + CHECKED_FRAMES; // checked frame-sets include CPU time
    if (timed && !firstTimedAt) firstTimedAt = next.startedAt;
    const current = next;
    const { m: motions, doneAt } = await current.motions;
    if (f + 1 < scene.totalFrames) next = startMotion(f + 1);
    const before = evidenceMs;
    const processAt = performance.now();
    const result = await pipeline.processMotionWith(scene.timeOf(f), motions, evidence);
    const finishedAt = performance.now();
    const elapsed = performance.now() - current.startedAt;
    if (f >= lead + 1) evaluated.push({ truth: scene.truthAt(f), tracks: result.tracks });
    if (!timed) {
      evidenceMs = before;
      kernelMs = [];
      continue;
    }
    latencies.push(elapsed);
    motionMs.push(doneAt - current.startedAt);
    evidenceStepMs.push(evidenceMs - before);
    prepareMs.push(evidenceCalledAt - processAt);
    finishMs.push(finishedAt - evidenceDoneAt);
    rays += result.motionPixels;
    voxelsReported += evidenceVoxels;
  }
  const wallS = (performance.now() - firstTimedAt) / 1000;
  await motionPool.close();
  await cpuEvidence.close();

  const score = scoreTracking(evaluated, {
    matchRadius: 3 * grid.voxelSize + scene.options.targetRadius,
    voxelSize: grid.voxelSize,
    targetRadius: scene.options.targetRadius,
    separationVoxels: 3,
  });
  const kernelP50 = percentile(kernelMs, 50);
  // Bytes the evidence kernel cannot avoid: read every camera's mask once, write 8 B per
  // reported voxel. Against the measured copy rate this is the floor.
  const maskBytes = cameras.reduce((s, c) => s + c.width * c.height, 0);
  const floorBytes = maskBytes + 8 * (voxelsReported / latencies.length);
  const floorMs = (floorBytes / (copyGbps * 1e9)) * 1000;
  const figures = {
    gpu_rays_per_s: Math.round(rays / (evidenceMs / 1000)),
    gpu_framesets_per_s: round(latencies.length / wallS),
    gpu_p99_ms: round(percentile(latencies, 99), 1),
    kernel_time_over_floor: round(kernelP50 / floorMs, 1),
  };
  const extra = {
    frame_sets_timed: latencies.length,
    rays_per_frameset: Math.round(rays / latencies.length),
    latency_p50_ms: round(percentile(latencies, 50), 1),
    motion_p50_ms: round(percentile(motionMs, 50), 1),
    masks_p50_ms: round(percentile(prepareMs, 50), 1),
    evidence_step_p50_ms: round(percentile(evidenceStepMs, 50), 1),
    detect_track_p50_ms: round(percentile(finishMs, 50), 1),
    kernel_p50_ms: round(kernelP50, 3),
    kernel_floor_ms: round(floorMs, 4),
    copy_gbps: Math.round(copyGbps),
    motion_workers: workers,
    gpu_equals_cpu_checked: checks,
    gpu_cpu_mismatches: mismatches,
    rmse_voxels: round(score.rmseVoxels, 3),
    mota: round(score.mota, 4),
    id_switches: score.idSwitches,
  };
  console.log(`figures: ${JSON.stringify(figures)}`);
  console.log(`extra: ${JSON.stringify(extra)}`);
  mkdirSync(outDir, { recursive: true });
  const record = {
    name: 'voxel-gpu',
    date: new Date().toISOString(),
    machine: `${found.devices[0]!.name}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
    scene: GPU_SCENE,
    figures,
    goals: { gpu_rays_per_s: '>= 1e8', gpu_framesets_per_s: '>= 30', gpu_p99_ms: '<= 50' },
    extra,
  };
  writeFileSync(join(outDir, 'voxel-gpu-latest.json'), `${JSON.stringify(record, null, 2)}\n`);
  process.exitCode = mismatches ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(`voxel-gpu bench: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 2;
});
