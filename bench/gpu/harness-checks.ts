/**
 * Correctness on the GPU: the shared kernel suite against the CUDA runner, the pool under
 * concurrent alloc/free from several streams, signed PTX end to end, and the typed errors.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

import {
  CudaDevice,
  CudaError,
  CudaKernelRunner,
  CustomKernels,
  DeviceLostError,
  DeviceOutOfMemoryError,
  KernelRejectedError,
  LaunchTimeoutError,
  QuotaExceededError,
  VramPool,
  signKernel,
  voxelEvidenceCpu,
  type CustomKernelEvent,
  type SignedKernel,
} from '../../libs/cuda/src/index.js';
import { kernelCases, sameEvidence } from '../../libs/cuda/src/kernels/kernel-cases.js';
import { randomScene, rng } from '../../libs/cuda/src/kernels/test-scenes.js';
import { CudaBacking } from '../../libs/cuda/src/pool/cuda-backing.js';
import type { HarnessLog } from './harness-log.js';

export async function kernelSuite(dev: CudaDevice, log: HarnessLog): Promise<void> {
  const runner = new CudaKernelRunner(dev, 'suite');
  for (const c of kernelCases) {
    for (const o of await c.run(runner, 20260417, { large: true }))
      log.check(`gpu ${o.name}`, o.ok, o.detail);
  }
  const keeping = new CudaKernelRunner(dev, 'suite');
  keeping.reuseEvidenceScratch = true;
  // The float64 coarse-to-fine path beside the default (fused) one.
  keeping.evidenceMethod = 'coarse';
  for (let s = 0; s < 4; s++) {
    const { req } = randomScene(rng(900 + s), {
      dims: [97 + s, 61, 45],
      cameras: 4 + 4 * s,
      targets: 5 + s,
      width: 320,
      height: 240,
      noise: 0.02,
      minCameras: 2 + s,
      maxVoxels: 1e7,
    });
    const gpu = await runner.voxelEvidence(req);
    const cpu = voxelEvidenceCpu(req);
    log.check(
      `voxel.evidence GPU == CPU scene ${s} (${req.cameras.length} cams)`,
      sameEvidence(gpu, cpu) && cpu.indices.length > 0,
      `${gpu.indices.length} voxels`,
    );
    // The same request with each mask given as its pixel list (rebuilt on the device).
    const withPixels = {
      ...req,
      cameras: req.cameras.map((c) => ({
        ...c,
        pixels: Uint32Array.from(Array.from(c.mask.keys()).filter((i) => c.mask[i] !== 0)),
      })),
    };
    const fromPixels = await runner.voxelEvidence(withPixels);
    log.check(
      `voxel.evidence from pixel lists == CPU scene ${s}`,
      sameEvidence(fromPixels, cpu),
      `${fromPixels.indices.length} voxels`,
    );
    // A runner that keeps its scratch between calls (grids of different sizes in turn).
    const kept = await keeping.voxelEvidence(withPixels);
    log.check(`voxel.evidence coarse, kept scratch == CPU scene ${s}`, sameEvidence(kept, cpu));
    log.check(
      `voxel.evidence coarse from masks == CPU scene ${s}`,
      sameEvidence(await keeping.voxelEvidence(req), cpu),
    );
  }
  keeping.dispose();
  const { req: small } = randomScene(rng(950), {
    dims: [20, 20, 20],
    cameras: 2,
    targets: 1,
    width: 64,
    height: 48,
    noise: 0,
    minCameras: 1,
    maxVoxels: 1e6,
  });
  const outside = {
    ...small,
    cameras: small.cameras.map((c) => ({ ...c, pixels: Uint32Array.of(c.width * c.height) })),
  };
  const refusal = await runner.voxelEvidence(outside).then(
    () => 'accepted',
    (e: unknown) => (e instanceof CudaError ? e.code : String(e)),
  );
  log.check(
    'voxel.evidence refuses a pixel index outside the frame',
    refusal === 'INVALID_ARGUMENT',
    refusal,
  );
  const leaks = dev.pool.stats();
  log.check('runner left no live allocations', leaks.liveAllocations === 0 && leaks.usedBytes === 0);
}

/** Several streams allocate, check zero-fill, fill with a tag, check the tag, free; in parallel. */
export async function poolConcurrency(dev: CudaDevice, log: HarnessLog): Promise<void> {
  const streams = 8;
  const rounds = 150;
  dev.pool.setTenantQuota('tenant-a', 512 * 2 ** 20);
  let mismatches = 0;
  let notZero = 0;
  let softOoms = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: streams }, async (_, w) => {
      const st = dev.createStream();
      const tenant = w % 2 ? 'tenant-a' : 'tenant-b';
      const r = rng(w + 1);
      for (let i = 0; i < rounds; i++) {
        const job = `conc-${w}-${i}`;
        dev.pool.openJob(job, tenant);
        const words = 1 + Math.floor(r() * 2 ** 20);
        let buf;
        try {
          buf = dev.pool.alloc(job, words * 4, 'data');
        } catch (e) {
          if (e instanceof QuotaExceededError) softOoms++;
          else throw e;
          dev.pool.closeJob(job);
          continue;
        }
        const out = dev.pool.alloc(job, 8, 'count');
        const tag = ((w << 20) | i) >>> 0;
        await dev.launch('count.ne.u32', st, [words, buf.address, 0, out.address]);
        notZero += Number(new BigUint64Array(await dev.download(st, out.address, 8))[0]);
        await dev.launch('fill.u32', st, [words, buf.address, tag]);
        await dev.launch('count.ne.u32', st, [words, buf.address, tag, out.address]);
        mismatches += Number(new BigUint64Array(await dev.download(st, out.address, 8))[0]);
        dev.pool.release(buf);
        dev.pool.release(out);
        dev.pool.closeJob(job);
      }
      dev.destroyStream(st);
    }),
  );
  const s = dev.pool.stats();
  log.check(
    `pool: ${streams} streams x ${rounds} alloc/fill/check/free`,
    mismatches === 0 && notZero === 0 && s.liveAllocations === 0,
    `tag mismatches ${mismatches}, non-zero words on allocation ${notZero}, soft OOMs ${softOoms}, ` +
      `${(performance.now() - t0).toFixed(0)} ms, slabs ${s.slabs}, fragmentation ${s.fragmentation.toFixed(3)}`,
  );
}

export function typedErrors(dev: CudaDevice, log: HarnessLog): void {
  dev.pool.setTenantQuota('tiny', 2 ** 20);
  dev.pool.openJob('quota', 'tiny');
  let soft: unknown;
  try {
    dev.pool.alloc('quota', 2 * 2 ** 20);
  } catch (e) {
    soft = e;
  }
  dev.pool.closeJob('quota');
  log.check(
    'soft OOM is QuotaExceededError/SOFT_OOM',
    soft instanceof QuotaExceededError && soft.code === 'SOFT_OOM',
  );
  const huge = new VramPool(new CudaBacking(dev.addon, dev.info.index), {
    capacityBytes: 2 ** 50,
    slabBytes: 2 ** 40,
  });
  huge.openJob('h', 't');
  let hard: unknown;
  try {
    huge.alloc('h', 2 ** 45);
  } catch (e) {
    hard = e;
  }
  log.check(
    'hard OOM is DeviceOutOfMemoryError/HARD_OOM',
    hard instanceof DeviceOutOfMemoryError && hard.code === 'HARD_OOM',
    (hard as Error | undefined)?.message ?? 'no error',
  );
}

function loadPtx(dir: string): string | null {
  try {
    return readFileSync(`${dir}/custom-kernels.ptx`, 'utf8');
  } catch {
    return null;
  }
}

/** Signed PTX end to end; ends with a trap kernel, so it must run last (the device is lost). */
export async function customKernels(dev: CudaDevice, log: HarnessLog, dir: string): Promise<void> {
  const ptx = loadPtx(dir);
  if (!ptx) {
    log.check('custom kernels: PTX fixture present', false, 'custom-kernels.ptx missing');
    return;
  }
  const gateway = generateKeyPairSync('ed25519');
  const events: CustomKernelEvent[] = [];
  const kernels = new CustomKernels(dev, new Map([['gw', gateway.publicKey]]), (e) => events.push(e));
  const limits = {
    maxGrid: [65535, 1, 1] as [number, number, number],
    maxBlock: [1024, 1, 1] as [number, number, number],
    maxThreadsPerBlock: 1024,
    maxSharedBytes: 0,
  };
  const scaleAdd = signKernel(
    ptx,
    {
      name: 'scale-add',
      entry: 'scale_add',
      keyId: 'gw',
      limits,
      params: [
        { name: 'y', type: 'ptr' },
        { name: 'x', type: 'ptr' },
        { name: 'n', type: 'u32' },
        { name: 'a', type: 'f32' },
      ],
    },
    gateway.privateKey,
  );
  const rejectCode = (k: SignedKernel) => {
    try {
      kernels.load(k);
      return 'accepted';
    } catch (e) {
      return e instanceof KernelRejectedError ? e.code : String(e);
    }
  };
  log.check(
    'custom: tampered PTX rejected',
    rejectCode({ ...scaleAdd, ptx: ptx.replace('scale_add', 'scale_adx') }) === 'KERNEL_TAMPERED',
  );
  log.check(
    'custom: unsigned rejected',
    rejectCode({ ...scaleAdd, signature: undefined }) === 'KERNEL_UNSIGNED',
  );
  log.check(
    'custom: unknown key rejected',
    rejectCode({ ...scaleAdd, manifest: { ...scaleAdd.manifest, keyId: 'x' } }) === 'KERNEL_UNKNOWN_KEY',
  );

  const loaded = kernels.load(scaleAdd);
  const again = kernels.load(scaleAdd);
  log.check('custom: module cached by hash', again === loaded && kernels.cachedModules === 1);
  const n = 1_000_003;
  const r = rng(77);
  const x = Float32Array.from({ length: n }, () => r() * 2 - 1);
  const y = Float32Array.from({ length: n }, () => r() * 2 - 1);
  const st = dev.createStream();
  dev.pool.openJob('custom', 'tenant-c');
  const dx = dev.pool.alloc('custom', x.byteLength);
  const dy = dev.pool.alloc('custom', y.byteLength);
  await dev.upload(st, dx.address, x);
  await dev.upload(st, dy.address, y);
  await kernels.launch(loaded, {
    stream: st,
    grid: [Math.ceil(n / 256), 1, 1],
    block: [256, 1, 1],
    args: [dy.address, dx.address, n, 1.5],
  });
  const got = new Float32Array(await dev.download(st, dy.address, y.byteLength));
  let bad = 0;
  for (let i = 0; i < n; i++) if (Math.abs(got[i]! - (Math.fround(1.5) * x[i]! + y[i]!)) > 1e-6) bad++;
  log.check('custom: signed scale_add PTX computes y = a*x + y', bad === 0, `${bad} wrong of ${n}`);
  let limitErr: unknown;
  try {
    await kernels.launch(loaded, {
      stream: st,
      grid: [1, 1, 1],
      block: [2048, 1, 1],
      args: [dy.address, dx.address, n, 1],
    });
  } catch (e) {
    limitErr = e;
  }
  log.check(
    'custom: launch outside manifest limits rejected',
    limitErr instanceof KernelRejectedError && limitErr.code === 'KERNEL_LIMITS',
  );
  dev.pool.closeJob('custom');

  const spin = kernels.load(
    signKernel(
      ptx,
      { name: 'spin', entry: 'spin', keyId: 'gw', limits, params: [{ name: 'cycles', type: 'u64' }] },
      gateway.privateKey,
    ),
  );
  let timeout: unknown;
  const spinStream = dev.createStream();
  try {
    await kernels.launch(spin, {
      stream: spinStream,
      grid: [1, 1, 1],
      block: [1, 1, 1],
      args: [2n * 10n ** 9n],
      timeoutMs: 20,
    });
  } catch (e) {
    timeout = e;
  }
  log.check(
    'timeout: LaunchTimeoutError/TIMEOUT, stream retired',
    timeout instanceof LaunchTimeoutError && dev.isRetired(spinStream),
    (timeout as Error | undefined)?.message ?? 'no error',
  );
  dev.synchronize(); // let the spinner finish before the last check
  log.check(
    'audit events for accepts and rejects',
    events.filter((e) => e.type === 'kernel.rejected').length === 3 &&
      events.some((e) => e.type === 'kernel.accepted' && e.cached),
  );

  const fault = kernels.load(
    signKernel(ptx, { name: 'fault', entry: 'fault', keyId: 'gw', limits, params: [] }, gateway.privateKey),
  );
  let lost: unknown;
  try {
    await kernels.launch(fault, { stream: st, grid: [1, 1, 1], block: [32, 1, 1], args: [] });
  } catch (e) {
    lost = e;
  }
  let after: unknown;
  try {
    dev.createStream();
  } catch (e) {
    after = e;
  }
  log.check(
    'trap kernel: DeviceLostError, device refuses further work',
    lost instanceof DeviceLostError && after instanceof DeviceLostError,
    `${(lost as CudaError | undefined)?.message ?? 'no error'}`,
  );
}
