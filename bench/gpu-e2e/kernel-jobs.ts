import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CpuKernelRunner, signKernel } from '@voxelfleet/cuda';
import { evidenceJobInputs, evidenceResultOf, randomEvidenceRequest } from '@voxelfleet/voxel';
import { sleep, type ApiClient } from './api-client.js';

/** One job submitted through POST /v1/jobs and read back through GET /v1/jobs/:id. */
export interface JobCheck {
  kernel: string;
  id: string;
  state: string;
  /** The scheduler's account of where it ran ("succeeded on local-node GPU 0 in 3 ms"). */
  stateReason: string;
  nodeId: string | null;
  deviceIds: string[];
  onGpu: boolean;
  /** The output against the CPU reference, or why it could not be compared. */
  correct: boolean;
  detail: string;
  /** Submit to finished, as the client saw it, ms. */
  roundTripMs: number;
}

interface JobView {
  id: string;
  state: string;
  stateReason: string;
  nodeId: string | null;
  deviceIds: string[];
  output: Record<string, unknown> | null;
  error: unknown;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'expired', 'skipped']);

const f32 = (a: Float32Array) => ({
  base64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
  dtype: 'f32',
});
const u32 = (a: Uint32Array) => ({
  base64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
  dtype: 'u32',
});
const u8 = (a: Uint8Array) => ({ base64: Buffer.from(a).toString('base64'), dtype: 'u8' });

function decode<T>(value: unknown, make: (b: ArrayBuffer) => T): T {
  const base64 = (value as { base64?: unknown } | null)?.base64;
  if (typeof base64 !== 'string')
    throw new Error(`not a base64 buffer: ${JSON.stringify(value).slice(0, 80)}`);
  const bytes = Buffer.from(base64, 'base64');
  return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
const asF32 = (v: unknown) => decode(v, (b) => new Float32Array(b));
const asU32 = (v: unknown) => decode(v, (b) => new Uint32Array(b));

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1);
}

/** Largest |a - b| / max(1, |b|). */
function maxRelErr(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

interface KernelCase {
  kernel: string;
  kernelId?: string;
  inputs: Record<string, unknown>;
  /** null when the output matches the CPU reference, else what differs. */
  verify(output: Record<string, unknown>): Promise<string | null>;
}

/** Every built-in kernel, at sizes that are not multiples of a block, with its CPU reference. */
function builtinCases(): KernelCase[] {
  const cpu = new CpuKernelRunner();
  // Sizes that fit the gateway's JSON body limit once base64-encoded.
  const n = 50_003;
  const x = random(n, 1);
  const y = random(n, 2);
  const ints = Uint32Array.from({ length: 100_003 }, (_, i) => (i * 2654435761) >>> 0);
  const [m, k, nn] = [257, 129, 263];
  const a = random(m * k, 3);
  const b = random(k * nn, 4);
  const width = 641;
  const height = 479;
  const prev = Uint8Array.from({ length: width * height }, (_, i) => (i * 31) & 0xff);
  const cur = Uint8Array.from(prev, (v, i) => (i % 97 === 0 ? (v + 60) & 0xff : v));
  const evidence = randomEvidenceRequest(16);
  const within = (limit: number, what: string) => (err: number) =>
    err <= limit ? null : `${what}: relative error ${err} over ${limit}`;
  return [
    { kernel: 'noop', inputs: {}, verify: () => Promise.resolve(null) },
    {
      kernel: 'saxpy',
      inputs: { a: 1.5, x: f32(x), y: f32(y) },
      verify: async (o) => within(1e-6, 'y')(maxRelErr(asF32(o.y), await cpu.saxpy(1.5, x, y))),
    },
    {
      kernel: 'reduce.sum',
      inputs: { x: f32(x) },
      verify: async (o) => {
        const ref = await cpu.reduceSum(x);
        return Math.abs(Number(o.sum) - ref) <= 1e-6 * n ? null : `sum ${String(o.sum)} vs ${ref}`;
      },
    },
    {
      kernel: 'scan.exclusive',
      inputs: { x: u32(ints) },
      verify: async (o) => {
        const got = asU32(o.y);
        const ref = await cpu.scanExclusive(ints);
        return got.length === ref.length && got.every((v, i) => v === ref[i])
          ? null
          : 'scan differs from the CPU';
      },
    },
    ...(['matmul.f32', 'matmul.tf32', 'matmul.bf16'] as const).map((kernel) => ({
      kernel,
      inputs: { a: f32(a), b: f32(b), m, n: nn, k },
      verify: async (o: Record<string, unknown>) => {
        const ref =
          kernel === 'matmul.f32'
            ? await cpu.matmulF32(a, b, m, nn, k)
            : kernel === 'matmul.tf32'
              ? await cpu.matmulTf32(a, b, m, nn, k)
              : await cpu.matmulBf16(a, b, m, nn, k);
        // The reduced precisions round the same inputs the same way; the sums differ in order only.
        return within(kernel === 'matmul.f32' ? 1e-5 : 1e-3, 'c')(maxRelErr(asF32(o.c), ref));
      },
    })),
    {
      kernel: 'motion.diff',
      inputs: { width, height, prev: u8(prev), cur: u8(cur), sigma: 4, k: 3, maxOut: width * height },
      verify: async (o) => {
        const ref = await cpu.motionDiff({
          width,
          height,
          prev,
          cur,
          sigma: 4,
          k: 3,
          maxOut: width * height,
        });
        const got = asU32(o.indices);
        return got.length === ref.indices.length && got.every((v, i) => v === ref.indices[i])
          ? null
          : `${got.length} changed pixels vs ${ref.indices.length}`;
      },
    },
    {
      kernel: 'voxel.evidence',
      inputs: evidenceJobInputs(evidence),
      verify: async (o) => {
        const got = evidenceResultOf(o);
        const ref = await cpu.voxelEvidence(evidence);
        const same =
          ref.indices.length > 0 &&
          got.indices.length === ref.indices.length &&
          got.indices.every((v, i) => v === ref.indices[i] && got.masks[i] === ref.masks[i]);
        return same
          ? null
          : `${got.indices.length} evidence voxels vs ${ref.indices.length} (or masks differ)`;
      },
    },
  ];
}

/** A tenant's own PTX kernel, signed with its key, registered through /admin/gpu/kernels. */
async function customCase(admin: ApiClient, tenantId: string, ptxPath: string): Promise<KernelCase> {
  const keys = generateKeyPairSync('ed25519');
  const signed = signKernel(
    readFileSync(ptxPath, 'utf8'),
    {
      name: 'acme.scale-add',
      entry: 'scale_add',
      keyId: `gpu-e2e-${Date.now()}`,
      limits: { maxGrid: [65535, 1, 1], maxBlock: [1024, 1, 1], maxThreadsPerBlock: 1024, maxSharedBytes: 0 },
      params: [
        { name: 'y', type: 'ptr' },
        { name: 'x', type: 'ptr' },
        { name: 'n', type: 'u32' },
        { name: 'a', type: 'f32' },
      ],
    },
    keys.privateKey,
  );
  const registered = await admin.expect<{ id: string }>(201, 'POST', '/admin/gpu/kernels', {
    tenantId,
    ptx: signed.ptx,
    manifest: signed.manifest,
    signature: signed.signature,
    publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  const n = 40_961;
  const x = random(n, 5);
  const y = random(n, 6);
  const cpu = new CpuKernelRunner();
  return {
    kernel: 'acme.scale-add',
    kernelId: registered.id,
    inputs: { y: f32(y), x: f32(x), n, a: 2, grid: [Math.ceil(n / 256), 1, 1], block: [256, 1, 1] },
    verify: async (o) =>
      maxRelErr(asF32(o.y), await cpu.saxpy(2, x, y)) < 1e-6 ? null : 'y differs from a*x+y',
  };
}

async function runCase(client: ApiClient, c: KernelCase, cpuFallbackAllowed: boolean): Promise<JobCheck> {
  const started = Date.now();
  const submitted = await client.post<{ id?: string }>('/v1/jobs', {
    kernel: c.kernel,
    ...(c.kernelId ? { kernelId: c.kernelId } : {}),
    inputs: c.inputs,
    vramBytes: 64 * 2 ** 20,
    cpuFallbackAllowed,
    maxAttempts: 1,
  });
  const id = submitted.body.id;
  if ((submitted.status !== 201 && submitted.status !== 202) || !id) {
    return {
      kernel: c.kernel,
      id: '',
      state: `refused ${submitted.status}`,
      stateReason: JSON.stringify(submitted.body).slice(0, 300),
      nodeId: null,
      deviceIds: [],
      onGpu: false,
      correct: false,
      detail: 'not submitted',
      roundTripMs: Date.now() - started,
    };
  }
  for (;;) {
    const { status, body: job } = await client.get<JobView>(`/v1/jobs/${id}`);
    if (status === 200 && FINISHED.has(job.state)) {
      const onGpu = job.state === 'succeeded' && / GPU \d+/.test(job.stateReason);
      let detail = job.state === 'succeeded' ? null : JSON.stringify(job.error);
      if (job.state === 'succeeded') {
        try {
          detail = await c.verify(job.output ?? {});
        } catch (error) {
          detail = `output unreadable: ${(error as Error).message}`;
        }
      }
      return {
        kernel: c.kernel,
        id,
        state: job.state,
        stateReason: job.stateReason,
        nodeId: job.nodeId,
        deviceIds: job.deviceIds,
        onGpu,
        correct: job.state === 'succeeded' && detail === null,
        detail: detail ?? 'matches the CPU reference',
        roundTripMs: Date.now() - started,
      };
    }
    if (Date.now() - started > 120_000) throw new Error(`job ${id} (${c.kernel}) did not finish in 120 s`);
    await sleep(status === 429 ? 1_000 : 20);
  }
}

/**
 * Every built-in kernel and a signed custom kernel through the public API, one after another,
 * each checked against the CPU reference and for the device it ran on.
 */
export async function runKernelJobs(
  client: ApiClient,
  admin: ApiClient,
  tenantId: string,
  ptxPath: string,
  cpuFallbackAllowed: boolean,
): Promise<JobCheck[]> {
  const cases = [...builtinCases(), await customCase(admin, tenantId, ptxPath)];
  const results: JobCheck[] = [];
  for (const c of cases) {
    const result = await runCase(client, c, cpuFallbackAllowed);
    console.log(
      `${result.correct && (result.onGpu || cpuFallbackAllowed) ? 'PASS' : 'FAIL'} job ${c.kernel}: ${result.state}, ${result.stateReason}; ${result.detail}`,
    );
    results.push(result);
  }
  return results;
}
