import type { EvidenceRequest, EvidenceResult, InlineBuffer, KernelInputs } from '@voxelfleet/contracts';

/**
 * The wire form of a `voxel.evidence` job (the gpu-node's decode-inputs reads it): grid and
 * cameras as inline buffers, motion as per-camera pixel lists when that is smaller than dense
 * masks (it is, for the sparse motion of a real scene: 4 B per changed pixel against 1 B per
 * pixel), dense masks otherwise.
 */
export function evidenceJobInputs(req: EvidenceRequest): KernelInputs {
  const { grid, cameras } = req;
  const maskBytes = cameras.reduce((n, c) => n + c.width * c.height, 0);
  const pixelLists = cameras.map((c) => c.pixels ?? pixelsOfMask(c.mask));
  const pixelBytes = pixelLists.reduce((n, p) => n + p.byteLength, 0);
  const projections = new Float64Array(cameras.length * 12);
  cameras.forEach((c, k) => projections.set(c.projection, k * 12));
  const inputs: KernelInputs = {
    origin: encode(new Float64Array(grid.origin)),
    dims: encode(new Uint32Array(grid.dims)),
    voxelSize: grid.voxelSize,
    widths: encode(new Uint32Array(cameras.map((c) => c.width))),
    heights: encode(new Uint32Array(cameras.map((c) => c.height))),
    projections: encode(projections),
    minCameras: req.minCameras,
    maxVoxels: req.maxVoxels,
  };
  if (pixelBytes < maskBytes) {
    inputs.pixels = encode(concat(pixelLists));
    inputs.pixelCounts = encode(new Uint32Array(pixelLists.map((p) => p.length)));
  } else {
    const masks = new Uint8Array(maskBytes);
    let at = 0;
    for (const c of cameras) {
      masks.set(c.mask, at);
      at += c.mask.length;
    }
    inputs.masks = encode(masks);
  }
  return inputs;
}

/** Bytes of a job's inline inputs, for the declared working set. */
export function evidenceJobBytes(req: EvidenceRequest): number {
  const [nx, ny, nz] = req.grid.dims;
  return req.cameras.reduce((n, c) => n + c.width * c.height, 0) + Math.min(req.maxVoxels, nx * ny * nz) * 8;
}

/** A succeeded `voxel.evidence` job's output back to an EvidenceResult; throws on a malformed one. */
export function evidenceResultOf(output: unknown): EvidenceResult {
  if (typeof output !== 'object' || output === null) throw new TypeError('evidence output: not an object');
  const { indices, masks, truncated } = output as Record<string, unknown>;
  const idx = decodeU32('indices', indices);
  const bits = decodeU32('masks', masks);
  if (idx.length !== bits.length)
    throw new TypeError(`evidence output: ${idx.length} indices but ${bits.length} masks`);
  return { indices: idx, masks: bits, truncated: truncated === true };
}

function pixelsOfMask(mask: Uint8Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  const out = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) out[at++] = i;
  return out;
}

function concat(lists: readonly Uint32Array[]): Uint32Array {
  const out = new Uint32Array(lists.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of lists) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

type Encodable = Float64Array | Uint32Array | Uint8Array;

function encode(a: Encodable): InlineBuffer {
  const dtype = a instanceof Float64Array ? 'f64' : a instanceof Uint32Array ? 'u32' : 'u8';
  return { dtype, base64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') };
}

function decodeU32(field: string, value: unknown): Uint32Array {
  if (Array.isArray(value)) return new Uint32Array(value as number[]);
  const { dtype, base64 } = (value ?? {}) as { dtype?: unknown; base64?: unknown };
  if (dtype !== 'u32' || typeof base64 !== 'string')
    throw new TypeError(`evidence output: ${field} must be a u32 inline buffer`);
  const raw = Buffer.from(base64, 'base64');
  if (raw.length % 4 !== 0) throw new TypeError(`evidence output: ${field} is not whole u32 values`);
  const out = new Uint32Array(raw.length / 4);
  new Uint8Array(out.buffer).set(raw);
  return out;
}
