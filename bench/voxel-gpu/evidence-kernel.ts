/**
 * voxel.evidence alone on the device: exactness of the fused float32 path against the CPU
 * reference on random and adversarial scenes, and its kernel time per camera resolution
 * against an honest floor (every byte the kernels must move and every instruction they must
 * issue for the pairs the method evaluates).
 */
import type { EvidenceCamera, EvidenceRequest } from '@voxelfleet/contracts';
import { createCameraRig, projectionMatrix, SeededRandom, type SyntheticScene } from '@voxelfleet/voxel';

import type { CudaKernelRunner } from '../../libs/cuda/src/runtime/cuda-runner.js';
import { sameEvidence } from '../../libs/cuda/src/kernels/kernel-cases.js';
import { lookAtProjection, randomScene, rng, type Rng } from '../../libs/cuda/src/kernels/test-scenes.js';
import { voxelEvidenceCpu } from '../../libs/cuda/src/kernels/voxel-evidence-cpu.js';
import type { NativeEvidenceStats } from '../../libs/cuda/src/runtime/native-evidence.js';

export interface DeviceRates {
  copyGbps: number;
  sms: number;
  smClockMHz: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function pixelsOf(mask: Uint8Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  const out = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) out[at++] = i;
  return out;
}

/**
 * Cameras close to and inside the grid, so camera planes (w' = 0) and near-zero depths cross
 * it, with dense noise: the pairs the float64 fallback exists for.
 */
function adversarialScene(r: Rng, dims: [number, number, number], cameras: number): EvidenceRequest {
  const voxelSize = 0.1;
  const origin: [number, number, number] = [-2 + r() * 0.01, -2 + r() * 0.01, -1 + r() * 0.01];
  const extent = dims.map((d) => d * voxelSize) as [number, number, number];
  const cams: EvidenceCamera[] = [];
  for (let c = 0; c < cameras; c++) {
    const width = 160 + Math.floor(r() * 200);
    const height = 120 + Math.floor(r() * 150);
    const eye: [number, number, number] = [
      origin[0] + extent[0] * (r() * 1.2 - 0.1),
      origin[1] + extent[1] * (r() * 1.2 - 0.1),
      origin[2] + extent[2] * r(),
    ];
    const target: [number, number, number] = [
      origin[0] + extent[0] * r(),
      origin[1] + extent[1] * r(),
      origin[2] + extent[2] * r(),
    ];
    const projection = lookAtProjection(eye, target, (0.3 + r()) * width, width, height);
    const mask = new Uint8Array(width * height);
    const noise = 0.05 + 0.4 * r();
    for (let i = 0; i < mask.length; i++) if (r() < noise) mask[i] = 1;
    cams.push({ projection, width, height, mask });
  }
  return {
    grid: { origin, dims, voxelSize, axisOrder: 'xyz', dtype: 'u32-camera-mask', version: 1 },
    cameras: cams,
    minCameras: 1 + Math.floor(r() * Math.min(3, cameras)),
    maxVoxels: 1e7,
  };
}

export interface ExactnessReport {
  scenes: number;
  equal: number;
  pairs: number;
  ambiguous: number;
  fallback: number;
  failures: string[];
}

/** The fused GPU path against the CPU reference on many scenes, with masks and with pixel lists. */
export async function checkExactness(runner: CudaKernelRunner, seeds: number): Promise<ExactnessReport> {
  const report: ExactnessReport = { scenes: 0, equal: 0, pairs: 0, ambiguous: 0, fallback: 0, failures: [] };
  runner.evidenceMethod = 'fused';
  runner.evidenceStats = true;
  const check = async (label: string, req: EvidenceRequest) => {
    const cpu = voxelEvidenceCpu(req);
    for (const form of ['mask', 'pixels'] as const) {
      const r =
        form === 'mask'
          ? req
          : { ...req, cameras: req.cameras.map((c) => ({ ...c, pixels: pixelsOf(c.mask) })) };
      const gpu = await runner.voxelEvidence(r);
      const s = runner.lastEvidenceStats;
      report.scenes++;
      report.pairs += s?.pairs ?? 0;
      report.ambiguous += s?.ambiguous ?? 0;
      report.fallback += s?.fallback ?? 0;
      if (sameEvidence(gpu, cpu)) report.equal++;
      else
        report.failures.push(
          `${label} (${form}): GPU ${gpu.indices.length} voxels truncated=${gpu.truncated}, CPU ${cpu.indices.length} truncated=${cpu.truncated}`,
        );
    }
  };
  for (let seed = 0; seed < seeds; seed++) {
    const r = rng(7000 + seed);
    const cams = 2 + Math.floor(r() * 14);
    const { req } = randomScene(r, {
      dims: [20 + Math.floor(r() * 60), 20 + Math.floor(r() * 50), 10 + Math.floor(r() * 40)],
      cameras: cams,
      targets: 1 + Math.floor(r() * 8),
      width: 64 + Math.floor(r() * 400),
      height: 48 + Math.floor(r() * 300),
      noise: r() * 0.05,
      minCameras: 1 + Math.floor(r() * cams),
      // Some scenes cap the output below what qualifies (the lowest indices must be kept).
      maxVoxels: r() < 0.3 ? 1 + Math.floor(r() * 50) : 1e7,
    });
    await check(`random ${seed}`, req);
    const adv = adversarialScene(
      r,
      [16 + Math.floor(r() * 40), 16 + Math.floor(r() * 40), 8 + Math.floor(r() * 24)],
      1 + Math.floor(r() * 6),
    );
    if (seed % 3 === 0) adv.maxVoxels = 1 + Math.floor(r() * 200);
    await check(`adversarial ${seed}`, adv);
  }
  runner.evidenceStats = false;
  return report;
}

/**
 * A frame-set of the GPU scene's geometry at another resolution without rendering it: each
 * camera's motion is the silhouette of every target sphere plus `noise` of the pixels.
 */
export function silhouetteFrameSets(
  scene: SyntheticScene,
  width: number,
  height: number,
  frames: number[],
  noise: number,
  minCameras: number,
  maxVoxels: number,
): EvidenceRequest[] {
  // The scene's rig again at this resolution: the rig draws the same poses from the same seed
  // whatever the resolution, and the targets' paths do not depend on it.
  const o = scene.options;
  const centre: [number, number, number] = [0, 0, (o.gridDims[2] * o.voxelSize) / 2];
  const rig = createCameraRig({ ...o.rig, resolutions: [[width, height]], centre }, new SeededRandom(o.seed));
  const r = rng(99);
  return frames.map((f) => {
    const truth = scene.truthAt(f);
    const cameras = rig.map((cam) => {
      const P = projectionMatrix(cam);
      const mask = new Uint8Array(cam.width * cam.height);
      // Noise pixels drawn by index (an 8K mask has 33 M pixels: one draw each is too slow).
      for (let i = Math.round(noise * mask.length); i > 0; i--) mask[Math.floor(r() * mask.length)] = 1;
      for (const t of truth) {
        const [x, y, z] = t.position;
        const w = P[8]! * x + P[9]! * y + P[10]! * z + P[11]!;
        if (w <= 0) continue;
        const u = (P[0]! * x + P[1]! * y + P[2]! * z + P[3]!) / w;
        const v = (P[4]! * x + P[5]! * y + P[6]! * z + P[7]!) / w;
        const rad = (cam.intrinsics.fx * (t.radius ?? o.targetRadius)) / w;
        for (let py = Math.max(0, Math.floor(v - rad)); py <= Math.min(cam.height - 1, v + rad); py++) {
          for (let px = Math.max(0, Math.floor(u - rad)); px <= Math.min(cam.width - 1, u + rad); px++) {
            if ((px - u) ** 2 + (py - v) ** 2 <= rad * rad) mask[py * cam.width + px] = 1;
          }
        }
      }
      return { projection: P, width: cam.width, height: cam.height, mask, pixels: pixelsOf(mask) };
    });
    return { grid: scene.grid, cameras, minCameras, maxVoxels };
  });
}

export interface HonestFloor {
  bytes: number;
  bytesMs: number;
  /** Lane instructions: per evaluated pair 12, per coarse cell and camera 8 corners x 6. */
  instructions: number;
  issueMs: number;
  /** Reciprocals on the special-function units (16 lanes a clock per SM). */
  mufuMs: number;
  floorMs: number;
}

/**
 * The least the fused method must do for one request. Bytes: read the pixel lists (4 B a
 * pixel), write each camera's bit mask and read it back at least once, write and read each
 * motion-tile table, write the survivors twice (appended, then sorted). Instructions: each
 * voxel-camera pair the fine pass evaluates needs at least 3 FMA (u, v, w), 1 reciprocal,
 * 2 multiplies, 2 floors, 2 range tests, 1 address, 1 load, 1 bit test = 12 (no error
 * checks, no fallback); each cell and camera of the coarse pass 8 corners x 6 (3 FMA,
 * 1 reciprocal, 2 multiplies).
 */
export function honestFloor(
  req: EvidenceRequest,
  stats: NativeEvidenceStats,
  survivors: number,
  rates: DeviceRates,
): HonestFloor {
  const [nx, ny, nz] = req.grid.dims;
  const cells = Math.ceil(nx / 8) * Math.ceil(ny / 8) * Math.ceil(nz / 8);
  let bytes = 16 * survivors;
  for (const c of req.cameras) {
    bytes += 4 * (c.pixels?.length ?? 0);
    bytes += 2 * c.height * Math.ceil(c.width / 32) * 4;
    bytes += 2 * (Math.ceil(c.width / 8) + 1) * (Math.ceil(c.height / 8) + 1) * 4;
  }
  const instructions = stats.pairs * 12 + cells * req.cameras.length * 8 * 6;
  const lanesPerMs = rates.sms * 128 * rates.smClockMHz * 1e3;
  const bytesMs = (bytes / (rates.copyGbps * 1e9)) * 1000;
  const issueMs = instructions / lanesPerMs;
  const mufuMs = (stats.pairs + cells * req.cameras.length * 8) / (rates.sms * 16 * rates.smClockMHz * 1e3);
  return { bytes, bytesMs, instructions, issueMs, mufuMs, floorMs: Math.max(bytesMs, issueMs, mufuMs) };
}

export interface KernelFigures {
  resolution: string;
  frame_sets: number;
  rays_per_frameset: number;
  voxels_per_frameset: number;
  kernel_ms_p50: number;
  kernel_ms_p99: number;
  kernel_rays_per_s: number;
  step_ms_p50: number;
  native_step_ms_p50: number;
  dense_fp64_kernel_ms_p50: number;
  fused_equals_dense: boolean;
  pairs_per_frameset: number;
  cells_per_frameset: number;
  ambiguous_fraction: number;
  fallback_fraction: number;
  upload_bytes: number;
  /** Device milliseconds per phase (mean over the requests, one stats run each). */
  phases_ms: Record<string, number>;
  floor: HonestFloor;
  kernel_time_over_floor: number;
}

/** Kernel time of the fused path over `requests` (several rounds), checked against the dense float64 path. */
export async function kernelFigures(
  runner: CudaKernelRunner,
  label: string,
  requests: EvidenceRequest[],
  rates: DeviceRates,
  rounds: number,
): Promise<KernelFigures> {
  runner.evidenceMethod = 'dense';
  const dense: number[] = [];
  const reference = [];
  for (const req of requests) {
    reference.push(await runner.voxelEvidence(req));
    dense.push(runner.lastLaunchMs);
  }
  runner.evidenceMethod = 'fused';
  runner.evidenceStats = true;
  let same = true;
  const stats: NativeEvidenceStats[] = [];
  const survivors: number[] = [];
  for (let i = 0; i < requests.length; i++) {
    const got = await runner.voxelEvidence(requests[i]!);
    same &&= sameEvidence(got, reference[i]!);
    stats.push(runner.lastEvidenceStats!);
    survivors.push(got.indices.length);
  }
  runner.evidenceStats = false;
  const kernel: number[] = [];
  const step: number[] = [];
  const native: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const req of requests) {
      const t = performance.now();
      await runner.voxelEvidence(req);
      step.push(performance.now() - t);
      kernel.push(runner.lastLaunchMs);
      native.push(runner.lastHostMs);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rays = mean(requests.map((q) => q.cameras.reduce((s, c) => s + (c.pixels?.length ?? 0), 0)));
  const floors = requests.map((q, i) => honestFloor(q, stats[i]!, survivors[i]!, rates));
  const floor: HonestFloor = {
    bytes: Math.round(mean(floors.map((f) => f.bytes))),
    bytesMs: mean(floors.map((f) => f.bytesMs)),
    instructions: Math.round(mean(floors.map((f) => f.instructions))),
    issueMs: mean(floors.map((f) => f.issueMs)),
    mufuMs: mean(floors.map((f) => f.mufuMs)),
    floorMs: mean(floors.map((f) => f.floorMs)),
  };
  const k50 = percentile(kernel, 50);
  const pairs = mean(stats.map((s) => s.pairs));
  return {
    resolution: label,
    frame_sets: requests.length,
    rays_per_frameset: Math.round(rays),
    voxels_per_frameset: Math.round(mean(survivors)),
    kernel_ms_p50: Number(k50.toFixed(4)),
    kernel_ms_p99: Number(percentile(kernel, 99).toFixed(4)),
    kernel_rays_per_s: Math.round(rays / (k50 / 1000)),
    step_ms_p50: Number(percentile(step, 50).toFixed(3)),
    native_step_ms_p50: Number(percentile(native, 50).toFixed(3)),
    dense_fp64_kernel_ms_p50: Number(percentile(dense, 50).toFixed(3)),
    fused_equals_dense: same,
    pairs_per_frameset: Math.round(pairs),
    cells_per_frameset: Math.round(mean(stats.map((s) => s.cells))),
    ambiguous_fraction: Number((mean(stats.map((s) => s.ambiguous)) / pairs).toExponential(3)),
    fallback_fraction: Number((mean(stats.map((s) => s.fallback)) / pairs).toExponential(3)),
    upload_bytes: Math.round(mean(stats.map((s) => s.uploadBytes))),
    phases_ms: Object.fromEntries(
      (['masks', 'tiles', 'coarse', 'fine', 'sort'] as const).map((k) => [
        k,
        Number(mean(stats.map((s) => s.phasesMs?.[k] ?? 0)).toFixed(4)),
      ]),
    ),
    floor,
    kernel_time_over_floor: Number((k50 / floor.floorMs).toFixed(2)),
  };
}
