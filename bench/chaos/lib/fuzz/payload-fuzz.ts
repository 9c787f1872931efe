import { generateKeyPairSync } from 'node:crypto';
import { signKernel } from '@voxelfleet/cuda';
import { createSyntheticScene, sceneMetadata } from '@voxelfleet/voxel';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { call } from '../http-client.js';
import { SurfaceTally, type SurfaceResult } from './fuzz-result.js';
import { multipart, type Part } from './multipart.js';
import type { RestFuzzTarget } from './rest-fuzz.js';
import { changedTables, snapshotTables } from './table-snapshot.js';

function png(width: number, height: number, seed: number): Uint8Array {
  const image = new PNG({ width, height });
  for (let i = 0; i < image.data.length; i += 1) image.data[i] = (i * 31 + seed) & 0xff;
  return PNG.sync.write(image);
}

/** How one camera's image in a frame-set is broken. */
const imageDamage = fc.oneof(
  fc.record({ kind: fc.constant('truncated' as const), keep: fc.double({ min: 0, max: 0.99, noNaN: true }) }),
  fc.record({ kind: fc.constant('flipped' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 4096 }) }),
  fc.record({
    kind: fc.constant('dimensions' as const),
    width: fc.integer({ min: 1, max: 200 }),
    height: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    kind: fc.constant('pgm' as const),
    header: fc.constantFrom(
      'P5\n64 48\n255\n',
      'P5\n64 48\n65535\n',
      'P5\n-1 48\n255\n',
      'P5\n99999 99999\n255\n',
      'P2\n64 48\n255\n',
      'P5\n64\n',
    ),
    length: fc.nat({ max: 8000 }),
  }),
  fc.record({ kind: fc.constant('raw' as const), length: fc.nat({ max: 8000 }) }),
  fc.record({ kind: fc.constant('intact' as const) }),
);

type ImageDamage = typeof imageDamage extends fc.Arbitrary<infer T> ? T : never;

/**
 * Whether a "damaged" image is in fact a valid 64×48 grey image: the right size, a raw buffer
 * of exactly the camera's samples, or a well-formed PGM with at least its raster (bytes after
 * the raster are ignored by netpbm readers). Anything else must be refused.
 */
function decodable(damage: ImageDamage): boolean {
  switch (damage.kind) {
    case 'intact':
      return true;
    case 'dimensions':
      return damage.width === 64 && damage.height === 48;
    case 'raw':
      return damage.length === 64 * 48 || damage.length === 64 * 48 * 2;
    case 'pgm':
      return (
        (damage.header === 'P5\n64 48\n255\n' && damage.length >= 64 * 48) ||
        (damage.header === 'P5\n64 48\n65535\n' && damage.length >= 64 * 48 * 2)
      );
    default:
      return false;
  }
}

function damaged(damage: ImageDamage, good: Uint8Array): Uint8Array {
  switch (damage.kind) {
    case 'truncated':
      return good.slice(0, Math.floor(good.length * damage.keep));
    case 'flipped': {
      const copy = Uint8Array.from(good);
      const at = damage.at % copy.length;
      copy[at] = (copy[at] as number) ^ damage.xor;
      return copy;
    }
    case 'random':
      return damage.bytes;
    case 'dimensions':
      return png(damage.width, damage.height, 1);
    case 'pgm':
      return Buffer.concat([Buffer.from(damage.header), Buffer.alloc(damage.length, 7)]);
    case 'raw':
      return new Uint8Array(damage.length).fill(3);
    case 'intact':
      return good;
  }
}

async function alive(url: string): Promise<boolean> {
  return (await call('GET', `${url}/health/live`, { timeoutMs: 5_000 })).status === 200;
}

/**
 * Frame-set uploads with broken images: truncated or bit-flipped PNGs, random bytes, other
 * sizes, bad PGM headers, raw buffers of the wrong length, missing or extra cameras, bad
 * times. A 200 is allowed only when every image is intact; never a 5xx.
 */
export async function fuzzFrameUploads(
  target: RestFuzzTarget,
  streamId: string,
  cameras: number,
  cases: number,
  seed: number,
): Promise<SurfaceResult> {
  const tally = new SurfaceTally('frame-uploads');
  const good = Array.from({ length: cameras }, (_, k) => png(64, 48, k));
  const caseArb = fc.record({
    damages: fc.array(imageDamage, { minLength: 0, maxLength: cameras + 2 }),
    t: fc.oneof(
      fc.double({ min: 1e6, max: 2e6, noNaN: true }).map(String),
      fc.constantFrom('', 'NaN', '-1', 'abc', '1e400'),
    ),
    naming: fc.constantFrom('cam', 'id', 'garbage'),
  });
  let t = 1e6;
  for (const generated of fc.sample(caseArb, { numRuns: cases, seed })) {
    t += 1;
    const tValue = generated.t === '' ? String(t) : generated.t;
    const parts: Part[] = [{ name: 't', value: tValue }];
    generated.damages.forEach((damage, k) => {
      const name = generated.naming === 'garbage' ? `x${k}` : `cam${k}`;
      parts.push({ name, value: damaged(damage, good[k % cameras] as Uint8Array), filename: `${name}.png` });
    });
    const body = multipart(parts);
    const result = await call('POST', `${target.baseUrl}/v1/streams/${streamId}/frames`, {
      key: target.tenantKey,
      raw: { data: body.data, contentType: body.contentType },
      timeoutMs: 15_000,
    });
    tally.count(result.status);
    const input = JSON.stringify({
      t: tValue,
      naming: generated.naming,
      damages: generated.damages.map((d) => d.kind),
    });
    const allIntact =
      generated.damages.length === cameras &&
      generated.damages.every(decodable) &&
      generated.naming !== 'garbage' &&
      Number.isFinite(Number(tValue));
    if (result.status >= 500 || result.status === 0)
      tally.find({
        operation: 'POST /v1/streams/{id}/frames',
        rule: result.status ? 'no-5xx' : 'no-crash',
        detail: `${result.status} ${result.error ?? result.text.slice(0, 200)}`,
        input,
      });
    else if (result.status < 300 && !allIntact)
      tally.find({
        operation: 'POST /v1/streams/{id}/frames',
        rule: 'expected-refusal',
        detail: `${result.status} for a broken frame-set`,
        input,
      });
    if (!target.alive()) {
      tally.find({
        operation: 'POST /v1/streams/{id}/frames',
        rule: 'no-crash',
        detail: 'the process exited',
        input,
      });
      break;
    }
  }
  return tally.result;
}

/**
 * metadata.json imports (`POST /v1/rigs/import`): a valid scene's metadata with entries
 * dropped, duplicated, fields removed or set to wrong types and extreme values. A refused
 * import must leave `rigs` as it was.
 */
export async function fuzzMetadataImports(
  target: RestFuzzTarget,
  cases: number,
  seed: number,
): Promise<SurfaceResult> {
  const tally = new SurfaceTally('metadata-imports');
  const scene = createSyntheticScene({
    seed: 3,
    targets: 1,
    frames: 3,
    rig: {
      count: 3,
      layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
      resolutions: [[64, 48]],
      fovDegrees: 55,
      aimJitter: 0.3,
    },
  });
  const valid = sceneMetadata(scene, 'png') as unknown as Record<string, unknown>[];
  const fields = Object.keys(valid[0] ?? {});
  const wrong = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(null, 'NaN', -1e308, 1e308, 0, 180, 360, -0, '', [], {}),
  );
  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant('set' as const),
      entry: fc.nat(),
      field: fc.constantFrom(...fields),
      value: wrong,
    }),
    fc.record({
      kind: fc.constant('drop-field' as const),
      entry: fc.nat(),
      field: fc.constantFrom(...fields),
    }),
    fc.record({ kind: fc.constant('drop-entry' as const), entry: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), entry: fc.nat() }),
  );
  const caseArb = fc.record({
    mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    resolution: fc.oneof(fc.constant({ width: 64, height: 48 }), fc.record({ width: wrong, height: wrong })),
    replaceWhole: fc.option(wrong, { freq: 8 }),
  });
  let n = 0;
  for (const generated of fc.sample(caseArb, { numRuns: cases, seed })) {
    n += 1;
    const metadata = valid.map((entry) => ({ ...entry }));
    for (const m of generated.mutations) {
      const i = m.entry % Math.max(1, metadata.length);
      if (metadata.length === 0) break;
      if (m.kind === 'set') (metadata[i] as Record<string, unknown>)[m.field] = m.value;
      else if (m.kind === 'drop-field') delete (metadata[i] as Record<string, unknown>)[m.field];
      else if (m.kind === 'drop-entry') metadata.splice(i, 1);
      else metadata.push({ ...(metadata[i] as Record<string, unknown>) });
    }
    const body = {
      name: `fuzz-import-${seed}-${n}`,
      metadata: generated.replaceWhole ?? metadata,
      resolution: generated.resolution,
    };
    const before = await snapshotTables(target.db, ['rigs']);
    const result = await call('POST', `${target.baseUrl}/v1/rigs/import`, {
      key: target.tenantKey,
      body,
      timeoutMs: 15_000,
    });
    tally.count(result.status);
    const input = JSON.stringify(generated);
    if (result.status >= 500 || result.status === 0)
      tally.find({
        operation: 'POST /v1/rigs/import',
        rule: result.status ? 'no-5xx' : 'no-crash',
        detail: `${result.status} ${result.error ?? result.text.slice(0, 200)}`,
        input,
      });
    if (result.status >= 400 && result.status < 500) {
      const changed = changedTables(before, await snapshotTables(target.db, ['rigs']));
      if (changed.length)
        tally.find({
          operation: 'POST /v1/rigs/import',
          rule: 'no-change-on-refusal',
          detail: changed.join(', '),
          input,
        });
    }
    if (!target.alive()) break;
  }
  return tally.result;
}

/**
 * Kernel registrations (`POST /admin/gpu/kernels`): a correctly signed PTX kernel, then its
 * signature, manifest, PTX or key damaged. Only the intact one may be accepted; a refused one
 * must leave `kernels` and `kernel_signing_keys` as they were.
 */
export async function fuzzKernelManifests(
  target: RestFuzzTarget,
  tenantId: string,
  cases: number,
  seed: number,
): Promise<SurfaceResult> {
  const tally = new SurfaceTally('kernel-manifests');
  const ptx = `.version 8.0\n.target sm_90\n.address_size 64\n.visible .entry scale(\n .param .u64 x\n)\n{\n ret;\n}\n`;
  const signedBody = (name: string) => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signed = signKernel(
      ptx,
      {
        name,
        entry: 'scale',
        params: [{ name: 'x', type: 'ptr' }],
        limits: { maxGrid: [65535, 1, 1], maxBlock: [256, 1, 1], maxThreadsPerBlock: 256, maxSharedBytes: 0 },
        keyId: `fuzz-${name}`,
      },
      privateKey,
    );
    return {
      tenantId,
      ptx: signed.ptx,
      manifest: signed.manifest as unknown as Record<string, unknown>,
      signature: signed.signature,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  };
  const wrong = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(null, '', 'x'.repeat(5000), -1, 1e308, [], {}),
  );
  const damage = fc.oneof(
    fc.record({ kind: fc.constant('signature-bit' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('ptx-edit' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
    fc.record({
      kind: fc.constant('manifest-field' as const),
      field: fc.constantFrom('name', 'entry', 'params', 'limits', 'keyId', 'sha256', 'ptxSha256', 'version'),
      value: wrong,
    }),
    fc.record({ kind: fc.constant('other-key' as const) }),
    fc.record({
      kind: fc.constant('pem' as const),
      value: fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'),
      ),
    }),
    fc.record({
      kind: fc.constant('field' as const),
      field: fc.constantFrom('ptx', 'manifest', 'signature', 'publicKeyPem', 'tenantId'),
      value: wrong,
    }),
    fc.record({ kind: fc.constant('none' as const) }),
  );
  let n = 0;
  for (const d of fc.sample(damage, { numRuns: cases, seed })) {
    n += 1;
    const body: Record<string, unknown> = signedBody(`fuzz_${seed}_${n}`);
    if (d.kind === 'signature-bit') {
      const sig = Buffer.from(String(body.signature), 'base64');
      sig[d.at % sig.length] = (sig[d.at % sig.length] as number) ^ 1;
      body.signature = sig.toString('base64');
    } else if (d.kind === 'ptx-edit') {
      const text = String(body.ptx);
      const at = d.at % text.length;
      body.ptx = `${text.slice(0, at)}${d.text || ' '}${text.slice(at)}`;
    } else if (d.kind === 'manifest-field')
      body.manifest = { ...(body.manifest as object), [d.field]: d.value };
    else if (d.kind === 'other-key') body.publicKeyPem = signedBody('other').publicKeyPem;
    else if (d.kind === 'pem') body.publicKeyPem = d.value;
    else if (d.kind === 'field') body[d.field] = d.value;
    const tables = ['kernels', 'kernel_signing_keys'];
    const before = await snapshotTables(target.db, tables);
    const result = await call('POST', `${target.baseUrl}/admin/gpu/kernels`, {
      key: target.adminKey,
      body,
      timeoutMs: 15_000,
    });
    tally.count(result.status);
    const input = JSON.stringify(d).slice(0, 300);
    const operation = 'POST /admin/gpu/kernels';
    if (result.status >= 500 || result.status === 0)
      tally.find({
        operation,
        rule: result.status ? 'no-5xx' : 'no-crash',
        detail: `${result.status} ${result.error ?? result.text.slice(0, 200)}`,
        input,
      });
    else if (result.status < 300 && d.kind !== 'none' && !(d.kind === 'field' && d.field === 'tenantId'))
      tally.find({
        operation,
        rule: 'expected-refusal',
        detail: `${result.status} for a damaged kernel`,
        input,
      });
    if (result.status >= 400 && result.status < 500) {
      const changed = changedTables(before, await snapshotTables(target.db, tables));
      if (changed.length)
        tally.find({ operation, rule: 'no-change-on-refusal', detail: changed.join(', '), input });
    }
    if (!target.alive()) break;
  }
  if (!(await alive(target.baseUrl)))
    tally.find({
      operation: 'POST /admin/gpu/kernels',
      rule: 'no-crash',
      detail: 'gateway not live',
      input: '',
    });
  return tally.result;
}
