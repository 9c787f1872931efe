import { createPublicKey, type KeyObject } from 'node:crypto';
import type { CustomKernelRef, KernelInputs } from '@voxelfleet/contracts';
import {
  CudaError,
  verifyKernel,
  type Allocation,
  type KernelManifest,
  type SignedKernel,
} from '@voxelfleet/cuda';
import type { GpuDevice } from './gpu-devices.js';
import { BadInputError, decodeBuffer, encodeBuffer } from './inline-buffer.js';
import type { DecodeLimits } from './decode-inputs.js';

type Buffer = ReturnType<typeof decodeBuffer>;

export interface PreparedCustom {
  signed: SignedKernel;
  key: KeyObject | null;
  launch: CustomKernelRef['launch'];
  /** Arguments in manifest order: numbers for scalars, decoded buffers for pointers. */
  args: Array<{ name: string; scalar?: number; buffer?: Buffer }>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const triple = (v: unknown) =>
  Array.isArray(v) && v.length === 3 && v.every((n) => Number.isInteger(n) && (n as number) >= 1);

/**
 * The reference itself is unusable (no PTX or manifest, as when the registered kernel or its
 * key is gone, or a key that does not parse): the node refuses the kernel, it is not the
 * caller's input that is wrong.
 */
export class CustomKernelRefError extends Error {}

/** Launch geometry travels in the inputs too (the scheduler reads it from there). */
const LAUNCH_FIELDS = new Set(['grid', 'block']);

/** Checks the reference's shape and the inputs against the manifest's parameter list. */
export function prepareCustom(
  ref: CustomKernelRef,
  inputs: KernelInputs,
  limits: DecodeLimits,
): PreparedCustom {
  const m = ref.manifest as Partial<KernelManifest>;
  if (typeof ref.ptx !== 'string' || !ref.ptx) {
    throw new CustomKernelRefError(`kernel ${ref.kernelId}: no PTX (not registered, or removed)`);
  }
  if (
    !isObject(m) ||
    typeof m.name !== 'string' ||
    typeof m.entry !== 'string' ||
    typeof m.keyId !== 'string' ||
    !Array.isArray(m.params) ||
    !m.params.every((p) => isObject(p) && typeof p.name === 'string' && typeof p.type === 'string')
  ) {
    throw new CustomKernelRefError(
      `kernel ${ref.kernelId}: the manifest does not name the kernel, entry, keyId and params`,
    );
  }
  if (!isObject(ref.launch) || !triple(ref.launch.grid) || !triple(ref.launch.block)) {
    throw new BadInputError('kernel.custom.launch', 'grid and block must be three positive integers each');
  }
  let key: KeyObject | null = null;
  if (ref.publicKeyPem !== undefined) {
    try {
      key = createPublicKey(ref.publicKeyPem);
    } catch {
      throw new CustomKernelRefError(`kernel ${ref.kernelId}: the registered key is not a PEM public key`);
    }
  }
  const params = m.params;
  const names = new Set(params.map((p) => p.name));
  const extra = Object.keys(inputs).find((k) => !names.has(k) && !LAUNCH_FIELDS.has(k));
  if (extra) throw new BadInputError(extra, `is not a parameter of ${m.name}`);
  let outBytes = 0;
  const args = params.map((p) => {
    const v = inputs[p.name];
    if (p.type === 'ptr') {
      const buffer = decodeBuffer(p.name, v, ['f32', 'u32', 'u8', 'u16', 'f64'], limits.maxInputBytes);
      outBytes += buffer.byteLength;
      return { name: p.name, buffer };
    }
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new BadInputError(p.name, `must be a ${p.type} number`);
    return { name: p.name, scalar: v };
  });
  if (outBytes > limits.maxOutputBytes) {
    throw new BadInputError(
      'inputs',
      `the buffers come back inline: ${outBytes} bytes is over ${limits.maxOutputBytes}`,
    );
  }
  return {
    signed: { ptx: ref.ptx, manifest: m as KernelManifest, signature: ref.signature },
    key,
    launch: ref.launch,
    args,
  };
}

/** Verifies the signature with the registered key the job carries; throws KernelRejectedError. */
export function verifyCustom(p: PreparedCustom): string {
  const keys = new Map<string, KeyObject>();
  if (p.key) keys.set(p.signed.manifest.keyId, p.key);
  return verifyKernel(p.signed, keys);
}

/**
 * Loads (or finds cached) and launches a verified custom kernel on a device, with its buffers
 * allocated in the dispatch's pool job; every pointer buffer comes back as output.
 */
export async function runCustomOnDevice(
  device: GpuDevice,
  poolJob: string,
  stream: number,
  p: PreparedCustom,
  timeoutMs: number,
): Promise<KernelInputs> {
  const keyId = p.signed.manifest.keyId;
  // The device's trusted-key map holds the job's key only while this (synchronous) load runs.
  if (p.key) device.trustedKeys.set(keyId, p.key);
  let loaded;
  try {
    loaded = device.custom.load(p.signed);
  } finally {
    device.trustedKeys.delete(keyId);
  }
  const dev = device.dev;
  let keep = false;
  const held: Array<{ name: string; alloc: Allocation; bytes: number; like: Buffer }> = [];
  try {
    const values: number[] = [];
    const uploads: Promise<unknown>[] = [];
    for (const a of p.args) {
      if (a.buffer) {
        const alloc = dev.pool.alloc(poolJob, Math.max(1, a.buffer.byteLength), a.name);
        held.push({ name: a.name, alloc, bytes: a.buffer.byteLength, like: a.buffer });
        if (a.buffer.byteLength) uploads.push(dev.upload(stream, alloc.address, a.buffer));
        values.push(alloc.address);
      } else {
        values.push(a.scalar!);
      }
    }
    await Promise.all(uploads);
    await device.custom.launch(loaded, {
      grid: p.launch.grid,
      block: p.launch.block,
      args: values,
      stream,
      timeoutMs,
    });
    const out: KernelInputs = {};
    for (const h of held) {
      const raw = h.bytes ? await dev.download(stream, h.alloc.address, h.bytes) : new ArrayBuffer(0);
      const ctor = h.like.constructor as new (b: ArrayBuffer) => Buffer;
      out[h.name] = encodeBuffer(new ctor(raw));
    }
    return out;
  } catch (e) {
    // A timed-out launch may still write its buffers: they stay held (the pool job stays open).
    keep = e instanceof CudaError && e.code === 'TIMEOUT';
    throw e;
  } finally {
    if (!keep) for (const h of held) dev.pool.release(h.alloc);
  }
}
