/**
 * Custom kernels on a device: verify (signature, key, hash), then cuModuleLoadData, with
 * loaded modules cached per device by PTX hash. Every accept and reject is reported to
 * `onEvent` for the audit log. No CPU fallback exists for these.
 */
import type { KeyObject } from 'node:crypto';

import { KernelRejectedError } from '../errors.js';
import type { GpuTiming } from '../native.js';
import { checkLimits, packParams, verifyKernel, type SignedKernel } from '../signing/kernel-manifest.js';
import type { CudaDevice } from './cuda-device.js';

export type CustomKernelEvent =
  | { type: 'kernel.accepted'; name: string; hash: string; keyId: string; cached: boolean }
  | { type: 'kernel.rejected'; name: string; keyId: string; code: string; reason: string };

export interface LoadedKernel {
  hash: string;
  kernel: SignedKernel;
  fn: number;
  maxThreadsPerBlock: number;
}

export interface CustomLaunch {
  grid: [number, number, number];
  block: [number, number, number];
  sharedBytes?: number;
  args: (number | bigint)[];
  stream: number;
  timeoutMs?: number;
}

export class CustomKernels {
  private readonly cache = new Map<string, LoadedKernel>();

  constructor(
    private readonly dev: CudaDevice,
    private readonly trustedKeys: ReadonlyMap<string, KeyObject>,
    private readonly onEvent: (e: CustomKernelEvent) => void = () => undefined,
  ) {}

  /** Verifies and loads (or finds in the cache) a signed kernel. */
  load(k: SignedKernel): LoadedKernel {
    let hash: string;
    try {
      hash = verifyKernel(k, this.trustedKeys);
    } catch (e) {
      if (e instanceof KernelRejectedError) {
        this.onEvent({
          type: 'kernel.rejected',
          name: k.manifest.name,
          keyId: k.manifest.keyId,
          code: e.code,
          reason: e.message,
        });
      }
      throw e;
    }
    // Cache key covers the manifest too: the same PTX signed with other limits is another kernel.
    const key = `${hash}:${k.signature}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.onEvent({
        type: 'kernel.accepted',
        name: k.manifest.name,
        hash,
        keyId: k.manifest.keyId,
        cached: true,
      });
      return hit;
    }
    const module = this.dev.call(() => this.dev.addon.loadModule(this.dev.info.index, k.ptx));
    const f = this.dev.call(() => this.dev.addon.getFunction(module, k.manifest.entry));
    const loaded = { hash, kernel: k, fn: f.id, maxThreadsPerBlock: f.maxThreadsPerBlock };
    this.cache.set(key, loaded);
    this.onEvent({
      type: 'kernel.accepted',
      name: k.manifest.name,
      hash,
      keyId: k.manifest.keyId,
      cached: false,
    });
    return loaded;
  }

  get cachedModules(): number {
    return this.cache.size;
  }

  /** Launches within the manifest's limits, arguments packed per its parameter layout. */
  launch(k: LoadedKernel, l: CustomLaunch): Promise<GpuTiming> {
    const shared = l.sharedBytes ?? 0;
    checkLimits(k.kernel.manifest.limits, l.grid, l.block, shared);
    const { blob, offsets } = packParams(k.kernel.manifest.params, l.args);
    return this.dev.async(l.stream, () =>
      this.dev.addon.launchCustom(
        this.dev.info.index,
        l.stream,
        k.fn,
        l.grid,
        l.block,
        shared,
        blob,
        offsets,
        l.timeoutMs ?? this.dev.timeoutMs,
      ),
    );
  }
}
