import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';

import { KernelRejectedError } from '../errors.js';
import type { CudaDevice } from '../runtime/cuda-device.js';
import { CustomKernels, type CustomKernelEvent } from '../runtime/custom-kernels.js';
import { checkLimits, packParams, signKernel, verifyKernel, type SignedKernel } from './kernel-manifest.js';

const PTX = `.version 8.0\n.target sm_90\n.address_size 64\n.visible .entry scale_add(\n .param .u64 p0\n)\n{\n ret;\n}\n`;
const manifest = {
  name: 'scale-add',
  entry: 'scale_add',
  params: [
    { name: 'y', type: 'ptr' as const },
    { name: 'n', type: 'u32' as const },
    { name: 'a', type: 'f32' as const },
  ],
  limits: {
    maxGrid: [65535, 1, 1] as [number, number, number],
    maxBlock: [1024, 1, 1] as [number, number, number],
    maxThreadsPerBlock: 1024,
    maxSharedBytes: 0,
  },
  keyId: 'gateway-1',
};

const gateway = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const trusted = new Map([['gateway-1', gateway.publicKey]]);

function rejection(k: SignedKernel): string {
  try {
    verifyKernel(k, trusted);
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(KernelRejectedError);
    return (e as KernelRejectedError).code;
  }
}

describe('signed kernels', () => {
  const good = signKernel(PTX, manifest, gateway.privateKey);

  it('accepts a kernel signed by a registered key and returns its PTX hash', () => {
    expect(verifyKernel(good, trusted)).toBe(good.manifest.ptxSha256);
    expect(good.manifest.ptxSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects an unsigned kernel', () => {
    expect(rejection({ ...good, signature: undefined })).toBe('KERNEL_UNSIGNED');
  });

  it('rejects a kernel whose PTX changed after signing', () => {
    expect(rejection({ ...good, ptx: PTX.replace('ret;', 'trap;') })).toBe('KERNEL_TAMPERED');
  });

  it('rejects a kernel whose manifest changed after signing (wider limits)', () => {
    const m = { ...good.manifest, limits: { ...good.manifest.limits, maxThreadsPerBlock: 2048 } };
    expect(rejection({ ...good, manifest: m })).toBe('KERNEL_TAMPERED');
  });

  it('rejects a key that is not registered', () => {
    const k = signKernel(PTX, { ...manifest, keyId: 'someone' }, stranger.privateKey);
    expect(rejection(k)).toBe('KERNEL_UNKNOWN_KEY');
  });

  it('rejects a signature by another key under a registered key id', () => {
    const k = signKernel(PTX, manifest, stranger.privateKey);
    expect(rejection(k)).toBe('KERNEL_TAMPERED');
  });

  it('rejects a manifest whose entry is not in the PTX', () => {
    const k = signKernel(PTX, { ...manifest, entry: 'other' }, gateway.privateKey);
    expect(rejection(k)).toBe('KERNEL_TAMPERED');
  });

  it('reports rejections as audit events before anything reaches the device', () => {
    const events: CustomKernelEvent[] = [];
    const noDevice = {} as CudaDevice;
    const kernels = new CustomKernels(noDevice, trusted, (e) => events.push(e));
    expect(() => kernels.load({ ...good, signature: undefined })).toThrow(KernelRejectedError);
    expect(events).toEqual([
      expect.objectContaining({ type: 'kernel.rejected', code: 'KERNEL_UNSIGNED', name: 'scale-add' }),
    ]);
  });

  it('packs parameters at their natural alignment', () => {
    const { blob, offsets } = packParams(
      [
        { name: 'n', type: 'u32' },
        { name: 'p', type: 'ptr' },
        { name: 'a', type: 'f32' },
        { name: 'd', type: 'f64' },
      ],
      [7, 0x7f0000001000, 1.5, -2],
    );
    expect([...offsets]).toEqual([0, 8, 16, 24]);
    const v = new DataView(blob.buffer);
    expect(v.getUint32(0, true)).toBe(7);
    expect(v.getBigUint64(8, true)).toBe(0x7f0000001000n);
    expect(v.getFloat32(16, true)).toBe(1.5);
    expect(v.getFloat64(24, true)).toBe(-2);
    expect(() => packParams([{ name: 'n', type: 'u32' }], [])).toThrow(/expected 1/);
  });

  it('enforces the manifest launch limits', () => {
    const l = manifest.limits;
    expect(() => checkLimits(l, [10, 1, 1], [256, 1, 1], 0)).not.toThrow();
    expect(() => checkLimits(l, [10, 2, 1], [256, 1, 1], 0)).toThrow(/grid\[1\]/);
    expect(() => checkLimits(l, [10, 1, 1], [1025, 1, 1], 0)).toThrow(/block\[0\]/);
    expect(() => checkLimits(l, [10, 1, 1], [256, 1, 1], 16)).toThrow(/shared/);
  });
});
