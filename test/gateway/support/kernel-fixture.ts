import { generateKeyPairSync } from 'node:crypto';
import { signKernel } from '@voxelfleet/cuda';

/** A signed PTX kernel as a client would send it to POST /admin/gpu/kernels. */
export function signedKernelBody(name: string, keyId: string, tenantId?: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const ptx = `.version 8.0\n.target sm_90\n.address_size 64\n.visible .entry scale(\n .param .u64 x\n)\n{\n ret;\n}\n`;
  const signed = signKernel(
    ptx,
    {
      name,
      entry: 'scale',
      params: [{ name: 'x', type: 'ptr' }],
      limits: { maxGrid: [65535, 1, 1], maxBlock: [256, 1, 1], maxThreadsPerBlock: 256, maxSharedBytes: 0 },
      keyId,
    },
    privateKey,
  );
  return {
    ...(tenantId === undefined ? {} : { tenantId }),
    ptx: signed.ptx,
    manifest: signed.manifest,
    signature: signed.signature,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
