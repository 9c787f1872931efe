/**
 * The built-in kernels on a CUDA device, host arrays in and out: every call opens a pool
 * job for its tenant, uploads, launches, downloads and closes the job. Buffers of an
 * operation that timed out stay held (its kernel may still write them) rather than being
 * zeroed and handed to someone else.
 */
import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';

import { CudaError, InvalidArgumentError } from '../errors.js';
import { validateMotion } from '../kernels/cpu-kernels.js';
import type { KernelRunner, MotionDiffRequest, MotionDiffResult } from '../kernels/kernel-types.js';
import { validateEvidence } from '../kernels/voxel-evidence-cpu.js';
import type { NativeKernel } from '../native.js';
import type { Allocation } from '../pool/vram-pool.js';
import type { CudaDevice } from './cuda-device.js';
import type { NativeEvidenceStats } from './native-evidence.js';

/**
 * Packs the pixel lists of the cameras that have one into one list of offsets into one mask
 * block (each camera's mask 256-byte aligned there), or null when no camera has a list.
 */
function packPixelLists(
  cameras: EvidenceRequest['cameras'],
): { pixels: Uint32Array; offsets: (number | undefined)[]; blockBytes: number } | null {
  const offsets: (number | undefined)[] = [];
  let blockBytes = 0;
  let total = 0;
  for (const c of cameras) {
    if (!c.pixels) {
      offsets.push(undefined);
      continue;
    }
    offsets.push(blockBytes);
    // Sizes from the camera, not its mask: a pixel-list camera's mask is built only if read.
    blockBytes += Math.ceil((c.width * c.height) / 256) * 256;
    total += c.pixels.length;
  }
  if (blockBytes === 0) return null;
  if (blockBytes > 2 ** 32) throw new InvalidArgumentError('voxel.evidence: masks too large for one block');
  const pixels = new Uint32Array(total);
  // A plain loop with local counters: this copies every changed pixel of every camera (450 k
  // for a 20-camera frame-set), and a closure's captured counter made it several times slower.
  let at = 0;
  for (let i = 0; i < cameras.length; i++) {
    const c = cameras[i]!;
    const list = c.pixels;
    if (!list) continue;
    const base = offsets[i]!;
    const size = c.width * c.height;
    let outside = 0;
    for (let j = 0; j < list.length; j++) {
      const p = list[j]!;
      outside |= p >= size ? 1 : 0;
      pixels[at + j] = base + p;
    }
    if (outside) throw new InvalidArgumentError('voxel.evidence: pixel index outside the frame');
    at += list.length;
  }
  return { pixels, offsets, blockBytes };
}

/** Pixels per motion-tile edge in the coarse pass (kEvidenceTile in kernels.h). */
const EVIDENCE_TILE = 8;

/** Bytes of the summed-area table of motion tiles for one camera (evidenceSatWords). */
function evidenceSatBytes(width: number, height: number): number {
  return (Math.ceil(width / EVIDENCE_TILE) + 1) * (Math.ceil(height / EVIDENCE_TILE) + 1) * 4;
}

/** Bytes of one camera record in the kernel's table (see EvidenceCam in kernels.h). */
const CAMERA_RECORD_BYTES = 128;

class Scope {
  readonly held: Allocation[] = [];
  constructor(
    readonly dev: CudaDevice,
    readonly job: string,
  ) {}

  alloc(bytes: number, label: string): Allocation {
    const a = this.dev.pool.alloc(this.job, bytes, label);
    this.held.push(a);
    return a;
  }
}

export class CudaKernelRunner implements KernelRunner {
  readonly where = 'cuda';
  /** Device time of the last voxel.evidence kernels (not its copies), milliseconds. */
  lastLaunchMs = 0;
  /** Wall time of the last fused voxel.evidence step on its native worker thread, milliseconds. */
  lastHostMs = 0;
  /** The last fused voxel.evidence call's counters, when `evidenceStats` is on. */
  lastEvidenceStats: NativeEvidenceStats | null = null;
  /** Count evaluated pairs and float64 fallbacks in fused calls (benchmarks; slightly slower). */
  evidenceStats = false;
  /**
   * voxel.evidence method, each the contract's result bit for bit. 'fused' builds bit masks
   * from the pixel lists, tests 8³-voxel cells in float32 first, evaluates the rest in
   * float32 with a float64 fallback near pixel edges, and sorts the survivors, all in one
   * native call, with no dense volume. 'coarse' and 'dense' run the float64 passes of
   * launch('voxel.evidence') into a dense volume and compact it, over candidate cells or
   * over every voxel; 'dense' stays as an independent reference.
   */
  evidenceMethod: 'fused' | 'coarse' | 'dense' = 'fused';
  /**
   * Keep voxel.evidence's scratch between calls instead of taking it from the pool on every
   * call. Only for a runner that serves one tenant's stream: the scratch is overwritten
   * before it is read on every call, and it is charged to the runner's tenant until
   * dispose(). Off by default.
   */
  reuseEvidenceScratch = false;
  private kept?: { job: string; allocation: Allocation };
  private stream: number;
  private seq = 0;

  constructor(
    readonly dev: CudaDevice,
    readonly tenant: string,
  ) {
    this.stream = dev.createStream();
  }

  async saxpy(a: number, x: Float32Array, y: Float32Array): Promise<Float32Array> {
    if (x.length !== y.length) throw new CudaError('INVALID_ARGUMENT', 'saxpy: x and y differ in length');
    if (!x.length) return new Float32Array(0);
    return this.scoped(async (s, st) => {
      const dx = s.alloc(x.byteLength, 'x');
      const dy = s.alloc(y.byteLength, 'y');
      await Promise.all([this.dev.upload(st, dx.address, x), this.dev.upload(st, dy.address, y)]);
      await this.dev.launch('saxpy', st, [x.length, a, dx.address, dy.address]);
      return new Float32Array(await this.dev.download(st, dy.address, y.byteLength));
    });
  }

  async reduceSum(x: Float32Array): Promise<number> {
    if (!x.length) return 0;
    return this.scoped(async (s, st) => {
      const dx = s.alloc(x.byteLength, 'x');
      const out = s.alloc(8, 'sum');
      const scratch = s.alloc(this.dev.scratchBytes('reduce.sum', x.length), 'scratch');
      await this.dev.upload(st, dx.address, x);
      await this.dev.launch('reduce.sum', st, [x.length, dx.address, out.address, scratch.address]);
      return new Float64Array(await this.dev.download(st, out.address, 8))[0]!;
    });
  }

  async scanExclusive(x: Uint32Array): Promise<Uint32Array> {
    if (!x.length) return new Uint32Array(0);
    return this.scoped(async (s, st) => {
      const din = s.alloc(x.byteLength, 'in');
      const dout = s.alloc(x.byteLength, 'out');
      const need = this.dev.scratchBytes('scan.exclusive', x.length);
      const scratch = need ? s.alloc(need, 'scratch').address : 0;
      await this.dev.upload(st, din.address, x);
      await this.dev.launch('scan.exclusive', st, [x.length, din.address, dout.address, scratch]);
      return new Uint32Array(await this.dev.download(st, dout.address, x.byteLength));
    });
  }

  matmulF32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array> {
    return this.matmul('matmul.f32', a, b, m, n, k);
  }

  matmulTf32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array> {
    return this.matmul('matmul.tf32', a, b, m, n, k);
  }

  matmulBf16(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array> {
    return this.matmul('matmul.bf16', a, b, m, n, k);
  }

  /** Device time of the last matmul launch, milliseconds. */
  lastMatmulMs = 0;

  private async matmul(
    name: 'matmul.f32' | 'matmul.tf32' | 'matmul.bf16',
    a: Float32Array,
    b: Float32Array,
    m: number,
    n: number,
    k: number,
  ): Promise<Float32Array> {
    if (a.length !== m * k || b.length !== k * n)
      throw new CudaError('INVALID_ARGUMENT', `${name}: shape mismatch`);
    if (!m || !n) return new Float32Array(0);
    return this.scoped(async (s, st) => {
      const da = s.alloc(Math.max(a.byteLength, 4), 'a');
      const db = s.alloc(Math.max(b.byteLength, 4), 'b');
      const dc = s.alloc(m * n * 4, 'c');
      await Promise.all([this.dev.upload(st, da.address, a), this.dev.upload(st, db.address, b)]);
      // The tensor-core kernels' names are not in the loader's kernel list (native.ts); the
      // addon's launch knows them (launch.cc).
      const t = await this.dev.launch(name as NativeKernel, st, [
        m,
        n,
        k,
        da.address,
        db.address,
        dc.address,
      ]);
      this.lastMatmulMs = t.gpuMs;
      return new Float32Array(await this.dev.download(st, dc.address, m * n * 4));
    });
  }

  async motionDiff(req: MotionDiffRequest): Promise<MotionDiffResult> {
    const n = validateMotion(req);
    const cap = Math.min(req.maxOut, n);
    return this.scoped(async (s, st) => {
      const prev = s.alloc(req.prev.byteLength, 'prev');
      const cur = s.alloc(req.cur.byteLength, 'cur');
      const sigma = typeof req.sigma === 'number' ? null : s.alloc(req.sigma.byteLength, 'sigma');
      const idx = s.alloc(cap * 4, 'indices');
      const w = s.alloc(cap * 4, 'weights');
      const count = s.alloc(4, 'count');
      const scratch = s.alloc(this.dev.scratchBytes('motion.diff', n), 'scratch');
      await Promise.all([
        this.dev.upload(st, prev.address, req.prev),
        this.dev.upload(st, cur.address, req.cur),
        sigma && typeof req.sigma !== 'number' ? this.dev.upload(st, sigma.address, req.sigma) : null,
      ]);
      const scalar = typeof req.sigma === 'number' ? req.sigma : 0;
      await this.dev.launch('motion.diff', st, [
        n,
        req.prev.BYTES_PER_ELEMENT,
        prev.address,
        cur.address,
        sigma?.address ?? 0,
        scalar,
        req.k,
        cap,
        idx.address,
        w.address,
        count.address,
        scratch.address,
      ]);
      const total = new Uint32Array(await this.dev.download(st, count.address, 4))[0]!;
      const kept = Math.min(total, cap);
      const [ib, wb] = await Promise.all([
        this.dev.download(st, idx.address, kept * 4),
        this.dev.download(st, w.address, kept * 4),
      ]);
      return {
        indices: new Uint32Array(ib),
        weights: new Float32Array(wb),
        count: total,
        truncated: total > req.maxOut,
      };
    });
  }

  async voxelEvidence(req: EvidenceRequest): Promise<EvidenceResult> {
    // The fused step checks pixel indices on the device, packPixelLists as it copies them.
    const voxels = validateEvidence(req, { checkPixels: false });
    const cap = Math.min(req.maxVoxels, voxels);
    if (this.evidenceMethod !== 'fused')
      return this.launchEvidence(req, voxels, cap, this.evidenceMethod === 'coarse');
    const spec = {
      dims: req.grid.dims,
      origin: req.grid.origin,
      voxelSize: req.grid.voxelSize,
      minCameras: req.minCameras,
      maxOut: cap,
      cameras: req.cameras,
      stats: this.evidenceStats,
    };
    return this.scoped(async (s, st) => {
      const bytes = this.dev.evidenceScratchBytes(spec);
      const scratch = this.reuseEvidenceScratch ? this.keptScratch(bytes) : s.alloc(bytes, 'evidence');
      this.lastLaunchMs = 0;
      const r = await this.dev.evidence(st, {
        ...spec,
        scratch: scratch.address,
        scratchBytes: scratch.bytes,
      });
      this.lastLaunchMs = r.gpuMs;
      this.lastHostMs = r.value.hostMs;
      this.lastEvidenceStats = r.value.stats ?? null;
      return { indices: r.value.indices, masks: r.value.masks, truncated: r.value.total > req.maxVoxels };
    });
  }

  /**
   * The float64 passes of launch('voxel.evidence') into a dense volume and its compaction:
   * every voxel, or (coarse) only voxels of the cells enough cameras' motion tiles may support.
   */
  private async launchEvidence(
    req: EvidenceRequest,
    voxels: number,
    cap: number,
    coarse: boolean,
  ): Promise<EvidenceResult> {
    return this.scoped(async (s, st) => {
      const table = new ArrayBuffer(req.cameras.length * CAMERA_RECORD_BYTES);
      const view = new DataView(table);
      const uploads: Promise<unknown>[] = [];
      // Cameras that send pixel lists share one mask block, rebuilt on the device by one
      // mask.scatter from one upload of every list (4 B per changed pixel, not the frames).
      const fromPixels = packPixelLists(req.cameras);
      const block = fromPixels ? s.alloc(fromPixels.blockBytes, 'masks') : null;
      if (fromPixels && block) {
        const list = s.alloc(Math.max(4, fromPixels.pixels.byteLength), 'pixels');
        const { pixels, blockBytes } = fromPixels;
        uploads.push(
          (pixels.length ? this.dev.upload(st, list.address, pixels) : Promise.resolve()).then(() =>
            this.dev.launch('mask.scatter', st, [pixels.length, list.address, block.address, blockBytes]),
          ),
        );
      }
      req.cameras.forEach((c, i) => {
        const offset = fromPixels?.offsets[i];
        const mask =
          block && offset !== undefined
            ? { address: block.address + offset }
            : s.alloc(c.mask.byteLength, `mask${i}`);
        if (offset === undefined) uploads.push(this.dev.upload(st, mask.address, c.mask));
        const o = i * CAMERA_RECORD_BYTES;
        for (let j = 0; j < 12; j++) view.setFloat64(o + j * 8, c.projection[j]!, true);
        view.setBigUint64(o + 96, BigInt(mask.address), true);
        view.setInt32(o + 104, c.width, true);
        view.setInt32(o + 108, c.height, true);
        if (coarse) {
          // The coarse pass's motion-tile table for this camera (built on the device).
          const sat = s.alloc(evidenceSatBytes(c.width, c.height), `sat${i}`);
          view.setBigUint64(o + 112, BigInt(sat.address), true);
        }
      });
      const cams = s.alloc(table.byteLength, 'cameras');
      uploads.push(this.dev.upload(st, cams.address, new Uint8Array(table)));
      const idx = s.alloc(cap * 4, 'indices');
      const masks = s.alloc(cap * 4, 'masks');
      const count = s.alloc(4, 'count');
      const scratch = s.alloc(this.dev.scratchBytes('voxel.evidence', voxels), 'scratch');
      await Promise.all(uploads);
      const [nx, ny, nz] = req.grid.dims;
      const [ox, oy, oz] = req.grid.origin;
      this.lastLaunchMs = 0;
      const timing = await this.dev.launch('voxel.evidence', st, [
        nx,
        ny,
        nz,
        ox,
        oy,
        oz,
        req.grid.voxelSize,
        req.cameras.length,
        cams.address,
        req.minCameras,
        cap,
        idx.address,
        masks.address,
        count.address,
        scratch.address,
        coarse ? 1 : 0,
      ]);
      this.lastLaunchMs = timing.gpuMs;
      const total = new Uint32Array(await this.dev.download(st, count.address, 4))[0]!;
      const kept = Math.min(total, cap);
      const [ib, mb] = await Promise.all([
        this.dev.download(st, idx.address, kept * 4),
        this.dev.download(st, masks.address, kept * 4),
      ]);
      return { indices: new Uint32Array(ib), masks: new Uint32Array(mb), truncated: total > req.maxVoxels };
    });
  }

  /** Returns the kept evidence scratch to the pool. */
  dispose(): void {
    if (!this.kept) return;
    this.dev.pool.closeJob(this.kept.job);
    this.kept = undefined;
  }

  private keptScratch(bytes: number): Allocation {
    if (this.kept && this.kept.allocation.bytes >= bytes) return this.kept.allocation;
    this.dispose();
    const job = `${this.tenant}:evidence-scratch:${++this.seq}`;
    this.dev.pool.openJob(job, this.tenant);
    try {
      // A quarter more than asked: the fused step's scratch follows the pixel count, which
      // varies from frame-set to frame-set.
      this.kept = { job, allocation: this.dev.pool.alloc(job, Math.ceil(bytes * 1.25), 'evidence-scratch') };
    } catch (e) {
      this.dev.pool.closeJob(job);
      throw e;
    }
    return this.kept.allocation;
  }

  /** Runs `fn` inside a pool job; releases its buffers unless the stream timed out. */
  private async scoped<T>(fn: (s: Scope, stream: number) => Promise<T>): Promise<T> {
    if (this.dev.isRetired(this.stream)) this.stream = this.dev.createStream();
    const job = `${this.tenant}:kernel:${++this.seq}`;
    this.dev.pool.openJob(job, this.tenant);
    const scope = new Scope(this.dev, job);
    let timedOut = false;
    try {
      return await fn(scope, this.stream);
    } catch (e) {
      timedOut = e instanceof CudaError && e.code === 'TIMEOUT';
      // Other work of this call may still be in flight on the stream; let it land before
      // its buffers are zeroed and reused.
      if (!timedOut && !this.dev.isLost) {
        try {
          this.dev.synchronize();
        } catch {
          // the original error is the one to report
        }
      }
      throw e;
    } finally {
      if (!timedOut) {
        for (const a of scope.held) this.dev.pool.release(a);
        this.dev.pool.closeJob(job);
      }
    }
  }
}
