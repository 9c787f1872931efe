import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';
import {
  BackgroundModel,
  createSyntheticScene,
  EvidenceWorkerPool,
  MotionWorkerPool,
  scoreTracking,
  TrackingPipeline,
  voxelCentre,
  type EvaluatedFrame,
  type GreyFrame,
  type MaskOccupancy,
} from '@voxelfleet/voxel';
import { argmax, castRawSum } from './naive-ray-caster.js';
import { STANDARD_SCENE } from './standard-scene.js';

/** Frame-sets the naive caster is timed on (it is slow; a few suffice for a stable rate). */
const NAIVE_FRAME_SETS = 4;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const scene = createSyntheticScene(STANDARD_SCENE);
  const { cameras, grid } = scene;
  console.log(
    `standard scene: ${cameras.length} cameras ${cameras[0]!.width}x${cameras[0]!.height}, ` +
      `${scene.options.targets} targets, grid ${grid.dims.join('x')} @ ${grid.voxelSize} m, noise sigma ${scene.options.noiseSigma}`,
  );
  const rendered: GreyFrame[][] = [];
  for (let f = 0; f < scene.totalFrames; f++) rendered.push(cameras.map((_, k) => scene.renderFrame(f, k)));
  const lead = scene.options.leadInFrames;

  // (b) our CPU path: motion and exact per-camera evidence on worker threads (both cores),
  // then detection and tracking.
  const pool = new EvidenceWorkerPool(2);
  const motionPool = new MotionWorkerPool(cameras, {}, 2);
  const pipeline = new TrackingPipeline({ cameras, grid });
  let evidenceMs = 0;
  const timedEvidence = async (req: EvidenceRequest, occupancy: MaskOccupancy[]): Promise<EvidenceResult> => {
    const t0 = performance.now();
    const result = await pool.computeEvidence(req, occupancy);
    evidenceMs += performance.now() - t0;
    return result;
  };
  const latencies: number[] = [];
  const evaluated: EvaluatedFrame[] = [];
  let rays = 0;
  for (let f = 0; f < scene.totalFrames; f++) {
    const timed = f >= lead + 1; // the first frame with targets also warms the JIT up
    const before = evidenceMs;
    const t0 = performance.now();
    const motions = await motionPool.extract(rendered[f]!);
    const result = await pipeline.processMotionWith(scene.timeOf(f), motions, timedEvidence);
    const elapsed = performance.now() - t0;
    if (!timed) {
      evidenceMs = before;
      continue;
    }
    latencies.push(elapsed);
    rays += result.motionPixels;
    evaluated.push({ truth: scene.truthAt(f), tracks: result.tracks });
  }
  await pool.close();
  await motionPool.close();
  const cpuSeconds = latencies.reduce((s, x) => s + x, 0) / 1000;
  const score = scoreTracking(evaluated, {
    matchRadius: 3 * grid.voxelSize + scene.options.targetRadius,
    voxelSize: grid.voxelSize,
    targetRadius: scene.options.targetRadius,
    separationVoxels: 3,
  });

  // (a) the naive baseline on the same frames and the same changed pixels.
  const models = cameras.map((c) => new BackgroundModel(c.width, c.height));
  const sum = new Float32Array(grid.dims[0] * grid.dims[1] * grid.dims[2]);
  let naiveRays = 0;
  let naiveCastMs = 0;
  let naiveTotalMs = 0;
  let naivePeakError = 0;
  const naiveLatencies: number[] = [];
  for (let f = 0; f < lead + 1 + NAIVE_FRAME_SETS; f++) {
    const t0 = performance.now();
    const motions = rendered[f]!.map((frame, k) => models[k]!.update(frame));
    if (f < lead + 1) continue;
    sum.fill(0);
    const c0 = performance.now();
    motions.forEach((m, k) => {
      naiveRays += m.count;
      castRawSum(grid, sum, cameras[k]!, m);
    });
    naiveCastMs += performance.now() - c0;
    const peak = voxelCentre(grid, argmax(sum));
    const elapsed = performance.now() - t0;
    naiveTotalMs += elapsed;
    naiveLatencies.push(elapsed);
    const nearest = Math.min(
      ...scene
        .truthAt(f)
        .map((t) => Math.hypot(t.position[0] - peak[0], t.position[1] - peak[1], t.position[2] - peak[2])),
    );
    naivePeakError = Math.max(naivePeakError, nearest / grid.voxelSize);
  }

  const figures = {
    naive_rays_per_s: Math.round(naiveRays / (naiveCastMs / 1000)),
    cpu_rays_per_s: Math.round(rays / (evidenceMs / 1000)),
    cpu_speedup_vs_naive: 0,
    cpu_framesets_per_s: Number((latencies.length / cpuSeconds).toFixed(2)),
    cpu_p99_ms: Number(percentile(latencies, 99).toFixed(1)),
    naive_framesets_per_s: Number((naiveLatencies.length / (naiveTotalMs / 1000)).toFixed(3)),
    naive_p99_ms: Number(percentile(naiveLatencies, 99).toFixed(1)),
    naive_peak_error_voxels_max: Number(naivePeakError.toFixed(1)),
    cpu_rmse_voxels: Number(score.rmseVoxels.toFixed(3)),
    cpu_mota: Number(score.mota.toFixed(4)),
    rays_per_frameset: Math.round(rays / latencies.length),
  };
  figures.cpu_speedup_vs_naive = Number((figures.cpu_rays_per_s / figures.naive_rays_per_s).toFixed(1));

  const rows: [string, string, string][] = [
    [
      'rays/s (evidence step)',
      figures.naive_rays_per_s.toLocaleString('en'),
      figures.cpu_rays_per_s.toLocaleString('en'),
    ],
    [
      'frame-sets/s (frames in, result out)',
      String(figures.naive_framesets_per_s),
      String(figures.cpu_framesets_per_s),
    ],
    ['p99 latency per frame-set (ms)', String(figures.naive_p99_ms), String(figures.cpu_p99_ms)],
    ['frame-sets timed', String(naiveLatencies.length), String(latencies.length)],
  ];
  console.log(`\n${'metric'.padEnd(40)}${'(a) naive raw sum'.padStart(20)}${'(b) ours, CPU'.padStart(20)}`);
  for (const [name, a, b] of rows) console.log(`${name.padEnd(40)}${a.padStart(20)}${b.padStart(20)}`);
  console.log(
    `\nspeed-up (rays/s): ${figures.cpu_speedup_vs_naive}x; rays per frame-set: ${figures.rays_per_frameset}; ` +
      `ours vs truth: rmse ${figures.cpu_rmse_voxels} voxels, MOTA ${figures.cpu_mota}; ` +
      `naive raw-sum peak off the nearest target by up to ${figures.naive_peak_error_voxels_max} voxels`,
  );

  mkdirSync('bench/results', { recursive: true });
  const record = {
    name: 'voxel',
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`,
    scene: {
      cameras: cameras.length,
      resolution: [cameras[0]!.width, cameras[0]!.height],
      targets: scene.options.targets,
      grid: grid.dims,
      voxelSize: grid.voxelSize,
      noiseSigma: scene.options.noiseSigma,
      seed: scene.options.seed,
    },
    figures,
  };
  writeFileSync('bench/results/voxel-latest.json', JSON.stringify(record, null, 2) + '\n');
  console.log('wrote bench/results/voxel-latest.json');
}

await main();
