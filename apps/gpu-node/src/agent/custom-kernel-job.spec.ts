import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { CustomKernelRef } from '@voxelfleet/contracts';
import { signKernel } from '@voxelfleet/cuda';
import { CustomKernelRefError, prepareCustom, verifyCustom } from './custom-kernel-job.js';
import { BadInputError } from './inline-buffer.js';

const PTX = '.version 8.0\n.target sm_90\n.visible .entry scale(.param .u64 p, .param .f32 s)\n{\n ret;\n}\n';
const LIMITS = { maxInputBytes: 1 << 20, maxOutputBytes: 64 };
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const signed = signKernel(
  PTX,
  {
    name: 'scale',
    entry: 'scale',
    params: [
      { name: 'p', type: 'ptr' },
      { name: 's', type: 'f32' },
    ],
    limits: { maxGrid: [64, 1, 1], maxBlock: [256, 1, 1], maxThreadsPerBlock: 256, maxSharedBytes: 0 },
    keyId: 'key-1',
  },
  privateKey,
);
const ref: CustomKernelRef = {
  kernelId: 'k-1',
  ptx: signed.ptx,
  manifest: signed.manifest as unknown as Record<string, unknown>,
  signature: signed.signature,
  publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  launch: { grid: [1, 1, 1], block: [32, 1, 1] },
};

describe('prepareCustom', () => {
  it('orders arguments as the manifest does, ignoring the launch geometry carried in the inputs', () => {
    const p = prepareCustom(ref, { s: 2, p: [1, 2, 3], grid: [1, 1, 1], block: [32, 1, 1] }, LIMITS);
    expect(p.args.map((a) => a.name)).toEqual(['p', 's']);
    expect(p.args[1]).toEqual({ name: 's', scalar: 2 });
    expect([...p.args[0]!.buffer!]).toEqual([1, 2, 3]);
  });

  it('refuses wrong inputs as bad-input', () => {
    expect(() => prepareCustom(ref, { p: [1], s: 'x' }, LIMITS)).toThrow(BadInputError);
    expect(() => prepareCustom(ref, { p: [1], s: 1, q: 2 }, LIMITS)).toThrow(
      /q: is not a parameter of scale/,
    );
    expect(() => prepareCustom(ref, { s: 1 }, LIMITS)).toThrow(/p: is required/);
    expect(() => prepareCustom(ref, { p: new Array(17).fill(0), s: 1 }, LIMITS)).toThrow(
      /68 bytes is over 64/,
    );
  });

  it('refuses an unusable reference as the kernel, not the input', () => {
    expect(() => prepareCustom({ ...ref, ptx: '', manifest: {} }, {}, LIMITS)).toThrow(CustomKernelRefError);
    expect(() => prepareCustom({ ...ref, manifest: { name: 'x' } }, {}, LIMITS)).toThrow(
      /manifest does not name/,
    );
    expect(() => prepareCustom({ ...ref, publicKeyPem: 'nope' }, { p: [1], s: 1 }, LIMITS)).toThrow(
      /not a PEM public key/,
    );
  });
});

describe('verifyCustom', () => {
  const inputs = { p: [1], s: 1 };
  it('accepts the signed kernel with its registered key', () => {
    expect(verifyCustom(prepareCustom(ref, inputs, LIMITS))).toBe(signed.manifest.ptxSha256);
  });

  it('rejects a missing key, a missing signature, and tampering', () => {
    const { publicKeyPem: _dropped, ...noKey } = ref;
    expect(() => verifyCustom(prepareCustom(noKey, inputs, LIMITS))).toThrow(/not registered/);
    expect(() => verifyCustom(prepareCustom({ ...ref, signature: undefined }, inputs, LIMITS))).toThrow(
      /no signature/,
    );
    expect(() =>
      verifyCustom(prepareCustom({ ...ref, ptx: PTX.replace('ret', 'trap') }, inputs, LIMITS)),
    ).toThrow(/PTX hash/);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => verifyCustom(prepareCustom({ ...ref, publicKeyPem: other }, inputs, LIMITS))).toThrow(
      /signature does not match/,
    );
  });
});
