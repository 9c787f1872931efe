import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signKernel } from '@voxelfleet/cuda';
import request from 'supertest';
import { decodeOut, f32, f64, NodeUnderTest, u32, u8 } from './gpu-node-support.js';

/** Deterministic pseudo-random values (not zeros), so wrong indexing shows. */
function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

const big = (n: number, seed: number) => ({
  a: f32(rand(n * n, seed)),
  b: f32(rand(n * n, seed + 1)),
  m: n,
  n,
  k: n,
});

const PTX = `.version 8.0\n.target sm_90\n.address_size 64\n.visible .entry scale(.param .u64 p, .param .u32 n)\n{\n ret;\n}\n`;

describe('gpu-node on a machine without a GPU (CPU node)', () => {
  let node: NodeUnderTest;

  beforeAll(async () => {
    node = await NodeUnderTest.start('cpu', 4500, {
      FALLBACK_BUDGETS_MS: 'matmul.f32=60',
      HOST_POOL_BYTES: String(256 * 2 ** 20),
      TENANT_POOL_SHARE: '0.5',
    });
  });

  afterAll(async () => {
    await node.close();
  });

  describe('built-in kernels on the CPU path', () => {
    it('noop succeeds with an empty output', async () => {
      const r = await node.final(await node.dispatch({ kernel: { name: 'noop' }, inputs: {} }));
      expect(r).toMatchObject({
        type: 'succeeded',
        where: 'cpu',
        output: {},
        nodeId: node.nodeId,
        attempt: 1,
      });
      expect(r.type === 'succeeded' && r.fallbackReason).toBeFalsy();
    });

    it('reports started before the result', async () => {
      const id = await node.dispatch({ kernel: { name: 'noop' }, inputs: {} });
      await node.final(id);
      const mine = node.reports.filter((x) => x.jobId === id).map((x) => x.type);
      expect(mine).toEqual(['started', 'succeeded']);
      expect(node.reports.find((x) => x.jobId === id && x.type === 'started')).toMatchObject({
        where: 'cpu',
      });
    });

    it('saxpy: a*x + y, with inline and base64 inputs', async () => {
      const x = rand(1003, 1);
      const y = rand(1003, 2);
      const r = await node.final(
        await node.dispatch({ kernel: { name: 'saxpy' }, inputs: { a: 1.5, x: f32(x), y } }),
      );
      expect(r.type).toBe('succeeded');
      const out = decodeOut(r.type === 'succeeded' ? r.output.y : null);
      const fx = new Float32Array(x);
      const fy = new Float32Array(y);
      expect(out).toHaveLength(1003);
      // float32 result of a*x + y (the CPU path rounds once, a fused device op may too).
      out.forEach((v, i) => expect(Math.abs(v - (1.5 * fx[i]! + fy[i]!))).toBeLessThan(1e-6));
    });

    it('reduce.sum against a float64 reference', async () => {
      const x = rand(4099, 3);
      const r = await node.final(
        await node.dispatch({ kernel: { name: 'reduce.sum' }, inputs: { x: f32(x) } }),
      );
      const ref = [...new Float32Array(x)].reduce((s, v) => s + v, 0);
      expect(r.type === 'succeeded' ? (r.output.sum as number) : NaN).toBeCloseTo(ref, 6);
    });

    it('scan.exclusive wraps modulo 2^32', async () => {
      const x = [4294967295, 1, 7, 2 ** 31, 2 ** 31, 5];
      const r = await node.final(
        await node.dispatch({ kernel: { name: 'scan.exclusive' }, inputs: { x: u32(x) } }),
      );
      const expected: number[] = [];
      let acc = 0;
      for (const v of x) {
        expected.push(acc);
        acc = (acc + v) >>> 0;
      }
      expect(decodeOut(r.type === 'succeeded' ? r.output.y : null)).toEqual(expected);
    });

    it('matmul.f32 against a float64 reference (shapes not multiples of a tile)', async () => {
      const [m, n, k] = [17, 23, 9];
      const a = rand(m * k, 4);
      const b = rand(k * n, 5);
      const r = await node.final(
        await node.dispatch({ kernel: { name: 'matmul.f32' }, inputs: { a: f32(a), b: f32(b), m, n, k } }),
      );
      const c = decodeOut(r.type === 'succeeded' ? r.output.c : null);
      const fa = new Float32Array(a);
      const fb = new Float32Array(b);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += fa[i * k + p]! * fb[p * n + j]!;
          expect(c[i * n + j]).toBeCloseTo(s, 4);
        }
      }
    });

    it('motion.diff finds the pixels that changed beyond k sigma', async () => {
      const [w, h] = [13, 7];
      const prev = new Uint8Array(w * h).fill(100);
      const cur = prev.slice();
      cur[5] = 130; // changed by 30
      cur[40] = 90; // changed by 10
      cur[77] = 103; // within the noise
      const r = await node.final(
        await node.dispatch({
          kernel: { name: 'motion.diff' },
          inputs: { width: w, height: h, prev: u8(prev), cur: u8(cur), sigma: 2, k: 3, maxOut: 100 },
        }),
      );
      expect(r.type).toBe('succeeded');
      if (r.type !== 'succeeded') return;
      expect(decodeOut(r.output.indices)).toEqual([5, 40]);
      expect(decodeOut(r.output.weights)).toEqual([30, 10]);
      expect(r.output).toMatchObject({ count: 2, truncated: false });
    });

    it('voxel.evidence keeps voxels seen by enough cameras', async () => {
      // Both cameras map voxel centre (x, y, z) to pixel (floor x, floor y).
      const P = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1];
      const mask = (pixels: number[]) => {
        const m = new Uint8Array(16);
        for (const p of pixels) m[p] = 1;
        return m;
      };
      const masks = new Uint8Array([...mask([1 + 4 * 2]), ...mask([1 + 4 * 2, 3 + 4 * 3])]);
      const inputs = {
        origin: [0, 0, 0],
        dims: u32([4, 4, 2]),
        voxelSize: 1,
        widths: [4, 4],
        heights: [4, 4],
        projections: f64([...P, ...P]),
        masks: u8(masks),
        maxVoxels: 100,
      };
      const two = await node.final(
        await node.dispatch({ kernel: { name: 'voxel.evidence' }, inputs: { ...inputs, minCameras: 2 } }),
      );
      expect(two.type === 'succeeded' && decodeOut(two.output.indices)).toEqual([9, 25]);
      expect(two.type === 'succeeded' && decodeOut(two.output.masks)).toEqual([3, 3]);
      const one = await node.final(
        await node.dispatch({ kernel: { name: 'voxel.evidence' }, inputs: { ...inputs, minCameras: 1 } }),
      );
      expect(one.type === 'succeeded' && decodeOut(one.output.indices)).toEqual([9, 15, 25, 31]);
      expect(one.type === 'succeeded' && decodeOut(one.output.masks)).toEqual([3, 2, 3, 2]);
    });

    it('runs a flood of tiny jobs of one tenant, batching worker round trips', async () => {
      const ids = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          node.dispatch({ kernel: { name: 'reduce.sum' }, inputs: { x: [i, 1] } }),
        ),
      );
      const finals = await Promise.all(ids.map((id) => node.final(id)));
      finals.forEach((r, i) => expect(r.type === 'succeeded' && r.output.sum).toBe(i + 1));
      const metrics = (await request(node.url).get('/metrics').expect(200)).text;
      const sum = Number(/voxelfleet_node_cpu_batch_size_sum\{[^}]*\} (\d+)/.exec(metrics)?.[1]);
      const count = Number(/voxelfleet_node_cpu_batch_size_count\{[^}]*\} (\d+)/.exec(metrics)?.[1]);
      // Fewer worker round trips than jobs: at least one batch held several jobs.
      expect(count).toBeGreaterThan(0);
      expect(sum).toBeGreaterThan(count);
    });

    it("runs every job of a pass's batch message, one bad dispatch failing alone", async () => {
      const base = {
        attempt: 1,
        tenantId: 'tenant-a',
        vramBytes: 0,
        cpuFallbackAllowed: false,
        timeoutMs: 10_000,
      };
      const ids = ['batch-1', 'batch-2', 'batch-3'].map((id) => `${id}-${Date.now()}`);
      await node.send({
        dispatches: [
          {
            ...base,
            jobId: ids[0],
            kernel: { name: 'reduce.sum' },
            inputs: { x: [1, 2] },
            dispatchedAtMs: Date.now(),
          },
          { ...base, jobId: ids[1], kernel: { name: 'noop' }, inputs: {}, dispatchedAtMs: Date.now() },
          // Malformed (no dispatchedAtMs): fails with bad-input, the others still run.
          { ...base, jobId: ids[2], kernel: { name: 'noop' }, inputs: {} },
        ],
      });
      const [sum, noop, bad] = await Promise.all(ids.map((id) => node.final(id)));
      expect(sum).toMatchObject({ type: 'succeeded', output: { sum: 3 } });
      expect(noop).toMatchObject({ type: 'succeeded' });
      expect(bad).toMatchObject({ type: 'failed', error: { code: 'bad-input' } });
      expect(bad?.type === 'failed' && bad.error.message).toMatch(/dispatchedAtMs/);
    });
  });

  describe('refusals', () => {
    it('fails bad inputs at once with bad-input, naming the field', async () => {
      const cases: Array<[string, Record<string, unknown>, RegExp]> = [
        ['saxpy', { a: 1, x: [1, 2], y: [1] }, /^y: has 1 elements, x has 2/],
        ['saxpy', { a: 1, x: [1], y: [1], z: 3 }, /^z: is not an input of saxpy/],
        ['reduce.sum', { x: { base64: 'not base64!', dtype: 'f32' } }, /^x\.base64/],
        ['reduce.sum', { x: { base64: 'AAA=', dtype: 'f32' } }, /not a whole number of f32/],
        ['scan.exclusive', { x: [1.5] }, /^x\[0\]: must be an integer/],
        ['matmul.f32', { a: [1, 2], b: [1, 2], m: 2, n: 2, k: 2 }, /^a: has 2 elements, m\*k is 4/],
        [
          'motion.diff',
          { width: 2, height: 2, prev: [1, 2, 3, 4], cur: [1, 2, 3], sigma: 1, k: 3, maxOut: 4 },
          /^cur/,
        ],
      ];
      for (const [name, inputs, message] of cases) {
        const r = await node.final(await node.dispatch({ kernel: { name }, inputs: inputs as never }));
        expect(r).toMatchObject({ type: 'failed', error: { code: 'bad-input', retryable: false } });
        expect(r.type === 'failed' && r.error.message).toMatch(message);
      }
    });

    it('fails an unknown kernel with unknown-kernel', async () => {
      const r = await node.final(await node.dispatch({ kernel: { name: 'fft.c2c' }, inputs: {} }));
      expect(r).toMatchObject({ type: 'failed', error: { code: 'unknown-kernel', retryable: false } });
    });

    it('fails a malformed dispatch that names its job with bad-input', async () => {
      await node.send({
        jobId: 'malformed-1',
        attempt: 1,
        tenantId: 't',
        kernel: { name: 'noop' },
        inputs: {},
      });
      const r = await node.final('malformed-1');
      expect(r).toMatchObject({ type: 'failed', error: { code: 'bad-input' } });
      expect(r.type === 'failed' && r.error.message).toMatch(/vramBytes/);
    });

    it('refuses a device job without CPU fallback: fallback-not-allowed, retryable elsewhere', async () => {
      const id = await node.dispatch({
        kernel: { name: 'noop' },
        inputs: {},
        deviceIndex: 0,
        cpuFallbackAllowed: false,
      });
      const r = await node.final(id);
      expect(r).toMatchObject({ type: 'failed', error: { code: 'fallback-not-allowed', retryable: true } });
      expect(r.type === 'failed' && r.error.message).toMatch(/no CUDA device/);
      expect(node.reports.some((x) => x.jobId === id && x.type === 'started')).toBe(false);
    });

    it('fails a job whose deadline passed with expired', async () => {
      const r = await node.final(
        await node.dispatch({ kernel: { name: 'noop' }, inputs: {}, deadlineAtMs: Date.now() - 1_000 }),
      );
      expect(r).toMatchObject({ type: 'failed', error: { code: 'expired', retryable: false } });
    });

    it('charges CPU jobs to the tenant share of host memory: over it, quota-oom', async () => {
      // 256 MiB host pool, half of it per tenant.
      const r = await node.final(
        await node.dispatch({ kernel: { name: 'noop' }, inputs: {}, vramBytes: 200 * 2 ** 20 }),
      );
      expect(r).toMatchObject({ type: 'failed', error: { code: 'quota-oom' } });
      const ok = await node.final(
        await node.dispatch({ kernel: { name: 'noop' }, inputs: {}, vramBytes: 100 * 2 ** 20 }),
      );
      expect(ok.type).toBe('succeeded');
    });

    it('never runs custom kernels on the CPU: kernel-rejected, with an audit line and a node event', async () => {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const limits = {
        maxGrid: [1024, 1, 1],
        maxBlock: [256, 1, 1],
        maxThreadsPerBlock: 256,
        maxSharedBytes: 0,
      } as const;
      const signed = signKernel(
        PTX,
        {
          name: 'scale',
          entry: 'scale',
          params: [
            { name: 'p', type: 'ptr' },
            { name: 'n', type: 'u32' },
          ],
          limits: { ...limits, maxGrid: [1024, 1, 1], maxBlock: [256, 1, 1] },
          keyId: 'k1',
        },
        privateKey,
      );
      const ref = {
        kernelId: 'kern-1',
        ptx: signed.ptx,
        manifest: signed.manifest as unknown as Record<string, unknown>,
        signature: signed.signature,
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        launch: {
          grid: [1, 1, 1] as [number, number, number],
          block: [32, 1, 1] as [number, number, number],
        },
      };
      const inputs = { p: f32([1, 2, 3]), n: 3 };
      const good = await node.final(
        await node.dispatch({
          kernel: { name: 'scale', custom: ref },
          inputs,
          deviceIndex: 0,
          cpuFallbackAllowed: true,
        }),
      );
      expect(good).toMatchObject({ type: 'failed', error: { code: 'kernel-rejected', retryable: true } });
      expect(good.type === 'failed' && good.error.message).toMatch(/never run on the CPU/);

      const tampered = await node.final(
        await node.dispatch({
          kernel: { name: 'scale', custom: { ...ref, ptx: ref.ptx.replace('ret;', 'trap;') } },
          inputs,
          deviceIndex: 0,
        }),
      );
      expect(tampered).toMatchObject({
        type: 'failed',
        error: { code: 'kernel-rejected', retryable: false },
      });
      expect(tampered.type === 'failed' && tampered.error.message).toMatch(/PTX hash/);
      await node.app.waitForLine(/custom kernel rejected/);
      const audit = node.app.logs().filter((l) => l.audit === true && l.event === 'kernel.rejected');
      expect(audit.length).toBeGreaterThanOrEqual(2);
      expect(audit[0]).toMatchObject({ tenantId: 'tenant-a', nodeId: node.nodeId });
      // The same refusals reach the audit log's queue as node events.
      const events = await node.waitFor(
        () => {
          const found = node.events.filter((e) => e.type === 'kernel.rejected');
          return found.length >= 2 ? found : undefined;
        },
        10_000,
        'two kernel.rejected node events',
      );
      expect(events[0]).toMatchObject({
        nodeId: node.nodeId,
        tenantId: 'tenant-a',
        detail: { name: 'scale' },
      });
    });
  });

  describe('CPU fallback, time limits and budgets', () => {
    it('runs a device job on the CPU when allowed, says why, and logs a structured warning', async () => {
      const id = await node.dispatch({
        kernel: { name: 'saxpy' },
        inputs: { a: 2, x: [1, 2], y: [3, 4] },
        deviceIndex: 0,
        cpuFallbackAllowed: true,
      });
      const r = await node.final(id);
      expect(r).toMatchObject({ type: 'succeeded', where: 'cpu' });
      expect(r.type === 'succeeded' && r.fallbackReason).toMatch(/no CUDA device/);
      expect(decodeOut(r.type === 'succeeded' ? r.output.y : null)).toEqual([5, 8]);
      await node.app.waitForLine(/"event":"cpu-fallback"/);
      expect(node.app.logs().find((l) => l.event === 'cpu-fallback' && l.jobId === id)).toMatchObject({
        level: 40,
        kernel: 'saxpy',
        deviceIndex: 0,
      });
      const event = await node.waitFor(
        () => node.events.find((e) => e.type === 'job.cpu-fallback' && e.jobId === id),
        10_000,
        'a job.cpu-fallback node event',
      );
      expect(event).toMatchObject({ tenantId: 'tenant-a', detail: { kernel: 'saxpy' } });
    });

    it('fails a fallback over its kernel budget with fallback-over-budget instead of hanging', async () => {
      const started = Date.now();
      const r = await node.final(
        await node.dispatch({
          kernel: { name: 'matmul.f32' },
          inputs: big(500, 10),
          deviceIndex: 0,
          cpuFallbackAllowed: true,
          timeoutMs: 30_000,
        }),
      );
      expect(r).toMatchObject({ type: 'failed', error: { code: 'fallback-over-budget', retryable: true } });
      expect(r.type === 'failed' && r.error.message).toMatch(/60 ms CPU budget for matmul\.f32/);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('stops a CPU job at its time limit with timeout', async () => {
      const r = await node.final(
        await node.dispatch({ kernel: { name: 'matmul.f32' }, inputs: big(500, 20), timeoutMs: 40 }),
      );
      expect(r).toMatchObject({ type: 'failed', error: { code: 'timeout', retryable: false } });
      // The node stays usable after a worker was stopped.
      const after = await node.final(
        await node.dispatch({ kernel: { name: 'reduce.sum' }, inputs: { x: [1, 2] } }),
      );
      expect(after.type === 'succeeded' && after.output.sum).toBe(3);
    });
  });

  describe('fleet surface', () => {
    it('heartbeats every interval with CPU slots, no devices, running jobs and fallbacks', async () => {
      const before = node.heartbeats.length;
      await node.waitFor(
        () => (node.heartbeats.length >= before + 2 ? true : undefined),
        5_000,
        'two heartbeats',
      );
      const hb = node.heartbeats.at(-1)!;
      expect(hb).toMatchObject({
        nodeId: node.nodeId,
        state: 'ready',
        devices: [],
        cpu: { slots: { total: 2 } },
      });
      expect(hb.fallbacks).toBeGreaterThanOrEqual(1);
      expect(hb.cpu.cores).toBeGreaterThan(0);

      const id = await node.dispatch({
        kernel: { name: 'matmul.f32' },
        inputs: big(560, 30),
        timeoutMs: 20_000,
      });
      const seen = await node.waitFor(
        () => node.heartbeats.find((h) => h.runningJobIds?.includes(id)),
        10_000,
        'a heartbeat listing the running job',
      );
      expect(seen.runningJobs).toBeGreaterThanOrEqual(1);
      expect((await node.final(id)).type).toBe('succeeded');
    });

    it('exposes job, fallback, pool and DCGM-named metrics', async () => {
      const text = (await request(node.url).get('/metrics').expect(200)).text;
      expect(text).toMatch(
        /voxelfleet_node_jobs_total\{outcome="succeeded",where="cpu",kernel="saxpy",app="gpu-node"\} \d+/,
      );
      expect(text).toMatch(/voxelfleet_node_jobs_total\{outcome="bad-input",where="none"/);
      expect(text).toMatch(
        /voxelfleet_node_job_duration_seconds_bucket\{le="[^"]+",app="gpu-node",where="cpu",kernel="matmul.f32"/,
      );
      expect(text).toMatch(/voxelfleet_cpu_fallbacks_total\{cause="no-device",app="gpu-node"\} [1-9]/);
      expect(text).toMatch(
        /voxelfleet_vram_allocation_failures_total\{kind="soft",gpu="host",app="gpu-node"\} 1/,
      );
      expect(text).toContain('voxelfleet_node_concurrency_limit{app="gpu-node"}');
      for (const field of [
        'DCGM_FI_DEV_GPU_UTIL',
        'DCGM_FI_DEV_FB_USED',
        'DCGM_FI_DEV_FB_FREE',
        'DCGM_FI_DEV_GPU_TEMP',
        'DCGM_FI_DEV_POWER_USAGE',
        'DCGM_FI_DEV_SM_CLOCK',
        'DCGM_FI_DEV_XID_ERRORS',
      ]) {
        // Declared for dashboards; no samples without a device.
        expect(text).toContain(`# TYPE ${field} gauge`);
        expect(text).not.toMatch(new RegExp(`^${field}\\{`, 'm'));
      }
      expect(text).toContain('# TYPE voxelfleet_vram_allocated_bytes gauge');
    });
  });
});
