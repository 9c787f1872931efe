/**
 * Signed custom kernels: a PTX module plus a manifest (entry, parameter layout, launch
 * limits, the PTX's SHA-256) signed with Ed25519 by a key the gateway registered. The
 * signature covers the manifest's canonical JSON; the manifest pins the PTX by hash.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

import { KernelRejectedError } from '../errors.js';

export type ParamType = 'ptr' | 'u32' | 'i32' | 'u64' | 'i64' | 'f32' | 'f64';

export interface KernelParam {
  name: string;
  type: ParamType;
}

export interface KernelLimits {
  maxGrid: [number, number, number];
  maxBlock: [number, number, number];
  maxThreadsPerBlock: number;
  maxSharedBytes: number;
}

export interface KernelManifest {
  name: string;
  /** The .entry symbol in the PTX. */
  entry: string;
  /** Hex SHA-256 of the PTX text (UTF-8). */
  ptxSha256: string;
  params: KernelParam[];
  limits: KernelLimits;
  /** Which registered key signed it. */
  keyId: string;
}

export interface SignedKernel {
  ptx: string;
  manifest: KernelManifest;
  /** Base64 Ed25519 signature of canonicalJson(manifest); absent means unsigned. */
  signature?: string;
}

/** JSON with object keys sorted at every level, so signer and verifier hash the same bytes. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What the gateway (or a tenant's build) does: pin the PTX by hash and sign the manifest. */
export function signKernel(
  ptx: string,
  manifest: Omit<KernelManifest, 'ptxSha256'>,
  privateKey: KeyObject,
): SignedKernel {
  const full: KernelManifest = { ...manifest, ptxSha256: sha256Hex(ptx) };
  const signature = sign(null, Buffer.from(canonicalJson(full)), privateKey).toString('base64');
  return { ptx, manifest: full, signature };
}

/**
 * Checks a kernel before anything reaches the driver. Throws KernelRejectedError with
 * KERNEL_UNSIGNED, KERNEL_UNKNOWN_KEY or KERNEL_TAMPERED; returns the PTX hash.
 */
export function verifyKernel(k: SignedKernel, trustedKeys: ReadonlyMap<string, KeyObject>): string {
  if (!k.signature)
    throw new KernelRejectedError('KERNEL_UNSIGNED', `kernel ${k.manifest.name}: no signature`);
  const key = trustedKeys.get(k.manifest.keyId);
  if (!key) {
    throw new KernelRejectedError(
      'KERNEL_UNKNOWN_KEY',
      `kernel ${k.manifest.name}: key ${k.manifest.keyId} is not registered`,
    );
  }
  let good: boolean;
  try {
    good = verify(null, Buffer.from(canonicalJson(k.manifest)), key, Buffer.from(k.signature, 'base64'));
  } catch {
    good = false;
  }
  if (!good)
    throw new KernelRejectedError(
      'KERNEL_TAMPERED',
      `kernel ${k.manifest.name}: signature does not match its manifest`,
    );
  const hash = sha256Hex(k.ptx);
  if (hash !== k.manifest.ptxSha256) {
    throw new KernelRejectedError(
      'KERNEL_TAMPERED',
      `kernel ${k.manifest.name}: PTX hash ${hash} is not the signed ${k.manifest.ptxSha256}`,
    );
  }
  if (!new RegExp(`\\.entry\\s+${k.manifest.entry.replace(/[^A-Za-z0-9_$]/g, '')}\\s*\\(`).test(k.ptx)) {
    throw new KernelRejectedError(
      'KERNEL_TAMPERED',
      `kernel ${k.manifest.name}: PTX has no .entry ${k.manifest.entry}`,
    );
  }
  return hash;
}

const SIZES: Record<ParamType, number> = { ptr: 8, u32: 4, i32: 4, u64: 8, i64: 8, f32: 4, f64: 8 };

/** Packs launch arguments per the manifest's layout: one naturally aligned slot each. */
export function packParams(
  params: readonly KernelParam[],
  values: readonly (number | bigint)[],
): { blob: Uint8Array; offsets: Uint32Array } {
  if (values.length !== params.length) {
    throw new KernelRejectedError(
      'KERNEL_LIMITS',
      `expected ${params.length} arguments, got ${values.length}`,
    );
  }
  const offsets = new Uint32Array(params.length);
  let at = 0;
  params.forEach((p, i) => {
    const size = SIZES[p.type];
    at = Math.ceil(at / size) * size;
    offsets[i] = at;
    at += size;
  });
  const blob = new Uint8Array(Math.max(at, 8));
  const view = new DataView(blob.buffer);
  params.forEach((p, i) => {
    const v = values[i]!;
    const o = offsets[i]!;
    switch (p.type) {
      case 'ptr':
      case 'u64':
        view.setBigUint64(o, BigInt(v), true);
        break;
      case 'i64':
        view.setBigInt64(o, BigInt(v), true);
        break;
      case 'u32':
        view.setUint32(o, Number(v), true);
        break;
      case 'i32':
        view.setInt32(o, Number(v), true);
        break;
      case 'f32':
        view.setFloat32(o, Number(v), true);
        break;
      case 'f64':
        view.setFloat64(o, Number(v), true);
        break;
    }
  });
  return { blob, offsets };
}

export function checkLimits(
  l: KernelLimits,
  grid: readonly number[],
  block: readonly number[],
  sharedBytes: number,
): void {
  const bad = (why: string) => new KernelRejectedError('KERNEL_LIMITS', why);
  for (let i = 0; i < 3; i++) {
    const g = grid[i] ?? 1;
    const b = block[i] ?? 1;
    if (!Number.isInteger(g) || g < 1 || g > l.maxGrid[i]!)
      throw bad(`grid[${i}] = ${g} outside 1..${l.maxGrid[i]}`);
    if (!Number.isInteger(b) || b < 1 || b > l.maxBlock[i]!)
      throw bad(`block[${i}] = ${b} outside 1..${l.maxBlock[i]}`);
  }
  const threads = (block[0] ?? 1) * (block[1] ?? 1) * (block[2] ?? 1);
  if (threads > l.maxThreadsPerBlock)
    throw bad(`${threads} threads per block, limit ${l.maxThreadsPerBlock}`);
  if (sharedBytes > l.maxSharedBytes) throw bad(`${sharedBytes} B shared memory, limit ${l.maxSharedBytes}`);
}
