/**
 * `bench:gpu` figures, side by side in one run: pool vs cudaMalloc, launch round trip,
 * memory-bound kernels as a fraction of a measured device-to-device copy, matmul.f32, and
 * voxel.evidence against the floor from its bytes.
 */
import { CudaDevice, CudaKernelRunner, VramPool, voxelEvidenceCpu } from '../../libs/cuda/src/index.js';
import { sameEvidence } from '../../libs/cuda/src/kernels/kernel-cases.js';
import { randomF32, randomScene, rng } from '../../libs/cuda/src/kernels/test-scenes.js';
import { CudaBacking } from '../../libs/cuda/src/pool/cuda-backing.js';
import type { NativeKernel } from '../../libs/cuda/src/native.js';
import { percentile, type HarnessLog } from './harness-log.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function poolVsMalloc(dev: CudaDevice, log: HarnessLog): number {
  const pool = new VramPool(new CudaBacking(dev.addon, dev.info.index), {
    capacityBytes: 4 * GiB,
    slabBytes: 256 * MiB,
  });
  pool.openJob('bench', 'bench');
  const sizes = [4096, 65536, MiB, 16 * MiB];
  let poolSum = 0;
  let rawSum = 0;
  for (const size of sizes) {
    for (let i = 0; i < 200; i++) pool.release(pool.alloc('bench', size));
    pool.flush();
    dev.synchronize();
    const n = 20_000;
    let t = performance.now();
    for (let i = 0; i < n; i++) pool.release(pool.alloc('bench', size));
    pool.flush();
    const poolUs = ((performance.now() - t) * 1000) / n;
    dev.synchronize();
    for (let i = 0; i < 10; i++) dev.rawMallocFree(size);
    const m = 500;
    t = performance.now();
    for (let i = 0; i < m; i++) dev.rawMallocFree(size);
    const rawUs = ((performance.now() - t) * 1000) / m;
    poolSum += poolUs;
    rawSum += rawUs;
    log.line(
      `pool alloc+free ${size} B: ${poolUs.toFixed(3)} us; cudaMalloc+cudaFree: ${rawUs.toFixed(2)} us; ratio ${(rawUs / poolUs).toFixed(1)}x`,
    );
  }
  pool.closeJob('bench');
  pool.dispose();
  return rawSum / poolSum;
}

async function roundTrip(dev: CudaDevice, log: HarnessLog): Promise<number> {
  const st = dev.createStream();
  for (let i = 0; i < 300; i++) await dev.launch('noop', st, []);
  const us: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t = performance.now();
    await dev.launch('noop', st, []);
    us.push((performance.now() - t) * 1000);
  }
  log.line(
    `launch round trip (noop, await from JS): p50 ${percentile(us, 50).toFixed(1)} us, p99 ${percentile(us, 99).toFixed(1)} us`,
  );
  return percentile(us, 50);
}

export async function runBench(
  dev: CudaDevice,
  log: HarnessLog,
): Promise<{ figures: Record<string, number>; extra: Record<string, unknown> }> {
  const figures: Record<string, number> = {};
  const extra: Record<string, unknown> = {};
  figures.pool_vs_cudamalloc_ratio = poolVsMalloc(dev, log);
  figures.launch_roundtrip_us_p50 = await roundTrip(dev, log);

  const st = dev.createStream();
  const reps = 20;
  dev.pool.openJob('bw', 'bench');
  const n = 2 ** 28; // 1 GiB of float32 per buffer
  const a = dev.pool.alloc('bw', n * 4);
  const b = dev.pool.alloc('bw', n * 4);
  const out = dev.pool.alloc('bw', 8);
  const scratch = dev.pool.alloc('bw', dev.scratchBytes('reduce.sum', n));
  // Non-zero data: fill with float bit patterns of 1.0 and 0.5.
  await dev.launch('fill.u32', st, [n, a.address, 0x3f800000]);
  await dev.launch('fill.u32', st, [n, b.address, 0x3f000000]);
  await dev.copy(st, b.address, a.address, n * 4, 2);
  const copyMs = (await dev.copy(st, b.address, a.address, n * 4, reps)).gpuMs / reps;
  figures.copy_gbps = (2 * n * 4) / (copyMs / 1000) / 1e9;
  log.line(
    `device-to-device copy 1 GiB: ${copyMs.toFixed(3)} ms, ${figures.copy_gbps.toFixed(0)} GB/s (read + write)`,
  );

  await dev.launch('saxpy', st, [n, 1e-3, a.address, b.address], { repeats: 2 });
  const saxpyMs =
    (await dev.launch('saxpy', st, [n, 1e-3, a.address, b.address], { repeats: reps })).gpuMs / reps;
  const saxpyGbps = (3 * n * 4) / (saxpyMs / 1000) / 1e9;
  figures.saxpy_fraction_of_copy = saxpyGbps / figures.copy_gbps;
  log.line(
    `saxpy n=2^28: ${saxpyMs.toFixed(3)} ms, ${saxpyGbps.toFixed(0)} GB/s, ${figures.saxpy_fraction_of_copy.toFixed(3)} of copy`,
  );

  const reduceArgs = [n, a.address, out.address, scratch.address];
  await dev.launch('reduce.sum', st, reduceArgs, { repeats: 2 });
  const reduceMs = (await dev.launch('reduce.sum', st, reduceArgs, { repeats: reps })).gpuMs / reps;
  const reduceGbps = (n * 4) / (reduceMs / 1000) / 1e9;
  figures.reduce_fraction_of_copy = reduceGbps / figures.copy_gbps;
  const sum = new Float64Array(await dev.download(st, out.address, 8))[0]!;
  log.line(
    `reduce.sum n=2^28: ${reduceMs.toFixed(3)} ms, ${reduceGbps.toFixed(0)} GB/s, ${figures.reduce_fraction_of_copy.toFixed(3)} of copy (sum ${sum}, expected ${n})`,
  );
  extra.reduce_sum_correct = sum === n;
  dev.pool.closeJob('bw');

  const dim = 8192;
  dev.pool.openJob('mm', 'bench');
  const r = rng(5);
  const ma = dev.pool.alloc('mm', dim * dim * 4);
  const mb = dev.pool.alloc('mm', dim * dim * 4);
  const mc = dev.pool.alloc('mm', dim * dim * 4);
  await dev.upload(st, ma.address, randomF32(r, dim * dim));
  await dev.upload(st, mb.address, randomF32(r, dim * dim));
  const mmArgs = [dim, dim, dim, ma.address, mb.address, mc.address];
  await dev.launch('matmul.f32', st, mmArgs);
  const mmMs = (await dev.launch('matmul.f32', st, mmArgs, { repeats: 5 })).gpuMs / 5;
  figures.matmul_tflops = (2 * dim ** 3) / (mmMs / 1000) / 1e12;
  log.line(`matmul.f32 ${dim}^3: ${mmMs.toFixed(2)} ms, ${figures.matmul_tflops.toFixed(2)} TFLOP/s`);
  // The tensor-core kernels on the same random operands, against the card's dense peak
  // (H100/H200 SXM datasheet: tf32 494.7, bf16 989.4 TFLOP/s without sparsity).
  const peaks = { 'matmul.tf32': 494.7, 'matmul.bf16': 989.4 } as const;
  const tensorCores: Record<string, unknown> = {};
  for (const name of ['matmul.tf32', 'matmul.bf16'] as const) {
    await dev.launch(name as NativeKernel, st, mmArgs);
    const ms = (await dev.launch(name as NativeKernel, st, mmArgs, { repeats: 5 })).gpuMs / 5;
    const tflops = (2 * dim ** 3) / (ms / 1000) / 1e12;
    figures[`${name.replace('.', '_')}_tflops`] = tflops;
    tensorCores[name] = { dim, ms, tflops, peak_tflops: peaks[name], fraction_of_peak: tflops / peaks[name] };
    log.line(
      `${name} ${dim}^3: ${ms.toFixed(2)} ms, ${tflops.toFixed(1)} TFLOP/s, ${((100 * tflops) / peaks[name]).toFixed(1)}% of the ${peaks[name]} TFLOP/s peak`,
    );
  }
  extra.tensor_cores = tensorCores;
  dev.pool.closeJob('mm');

  extra.voxel_evidence = await evidenceBench(dev, log, figures.copy_gbps);
  return { figures, extra };
}

async function evidenceBench(dev: CudaDevice, log: HarnessLog, copyGbps: number): Promise<unknown[]> {
  const runner = new CudaKernelRunner(dev, 'bench');
  const rows: unknown[] = [];
  const scenes = [
    {
      label: 'standard 256^3, 8 cams 1280x720, 10 targets',
      dims: [256, 256, 256],
      cameras: 8,
      targets: 10,
      width: 1280,
      height: 720,
      check: true,
    },
    {
      label: '512^3, 20 cams 1920x1080, 50 targets',
      dims: [512, 512, 512],
      cameras: 20,
      targets: 50,
      width: 1920,
      height: 1080,
      check: false,
    },
  ] as const;
  for (const s of scenes) {
    const { req } = randomScene(rng(42), {
      ...s,
      dims: [...s.dims],
      noise: 0.002,
      minCameras: Math.ceil(s.cameras / 2),
      maxVoxels: 2e6,
    });
    // Both methods on the same request: the dense pass evaluates every voxel against every
    // camera; the coarse-to-fine pass (the default) only voxels in cells that enough cameras'
    // motion tiles may support. Same result required.
    const timeMethod = async (method: 'fused' | 'dense') => {
      runner.evidenceMethod = method;
      let out = await runner.voxelEvidence(req);
      const gpu: number[] = [];
      const calls: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        out = await runner.voxelEvidence(req);
        calls.push(performance.now() - t);
        gpu.push(runner.lastLaunchMs);
      }
      return { out, gpu, calls };
    };
    const dense = await timeMethod('dense');
    const { out: result, gpu: times, calls: wall } = await timeMethod('fused');
    log.check(
      `voxel.evidence ${s.label}: fused == dense`,
      sameEvidence(result, dense.out),
      `${result.indices.length} voxels`,
    );
    const kernelMs = percentile(times, 50);
    const voxels = s.dims[0] * s.dims[1] * s.dims[2];
    const maskBytes = s.cameras * s.width * s.height;
    const floorBytes = maskBytes + 8 * result.indices.length;
    const floorMs = (floorBytes / (copyGbps * 1e9)) * 1000;
    // The voxel-centric projection's arithmetic: per voxel and camera 9 mul + 9 add + 2 div.
    const fp64Ops = voxels * s.cameras * 20;
    const row: Record<string, unknown> = {
      scene: s.label,
      voxels,
      cameras: s.cameras,
      reported: result.indices.length,
      kernel_ms_p50: kernelMs,
      dense_kernel_ms_p50: percentile(dense.gpu, 50),
      fused_speedup_vs_dense: percentile(dense.gpu, 50) / kernelMs,
      call_ms_p50: percentile(wall, 50),
      floor_bytes: floorBytes,
      floor_ms_bytes: floorMs,
      kernel_time_over_floor: kernelMs / floorMs,
      fp64_ops: fp64Ops,
      fp64_tflops_achieved: fp64Ops / (kernelMs / 1000) / 1e12,
    };
    if (s.check) {
      const t = performance.now();
      const cpu = voxelEvidenceCpu(req);
      row.cpu_ms = performance.now() - t;
      row.gpu_equals_cpu = sameEvidence(result, cpu);
      log.check(
        `voxel.evidence ${s.label}: GPU == CPU`,
        row.gpu_equals_cpu === true,
        `${cpu.indices.length} voxels`,
      );
    }
    log.line(
      `voxel.evidence ${s.label}: dense kernel ${percentile(dense.gpu, 50).toFixed(3)} ms; fused kernel ${kernelMs.toFixed(3)} ms (call ${percentile(wall, 50).toFixed(1)} ms), ` +
        `bytes floor ${floorMs.toFixed(4)} ms -> ${(kernelMs / floorMs).toFixed(0)}x; ${(fp64Ops / (kernelMs / 1000) / 1e12).toFixed(2)} TFLOP/s fp64`,
    );
    rows.push(row);
  }
  return rows;
}
