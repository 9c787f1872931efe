import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import process from 'node:process';
import autocannon, { type Result } from 'autocannon';
import { generateApiKey } from '@voxelfleet/auth';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { createTransport } from '@voxelfleet/transport';
import pg from 'pg';
import { reportBench } from '../lib/results.js';
import { interleavedFlat, type FlatResult } from './interleaved.js';
import { pacedLoad, type PacedResult } from './paced-load.js';

/**
 * bench:gateway: the built gateway as its own process on real Postgres and Redis, loaded by
 * autocannon from this process. Authenticated GET /v1/quota and POST /admin/gpu/simulate are
 * measured beside the bare, unauthenticated /health/live in the same run: first flat out
 * (requests/s, autocannon, the targets taking turns; see interleaved.ts), then at a fixed 500 requests/s from an open-loop paced generator
 * (p99 latency from each request's due time; see paced-load.ts).
 */
// npm runs scripts from the repository root, where the built gateway lives under dist/.
const ROOT = process.cwd();
const PORT = Number(process.env.BENCH_GATEWAY_PORT ?? 4330);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
// Flat-out turns per target, interleaved (see interleaved.ts); SECONDS is split among them.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const GiB = 2 ** 30;
// A subset of the targets to load (a profiling aid); figures of the others read as absent.
const ONLY = (process.env.BENCH_ONLY ?? 'bare,quota,simulate').split(',');
// Extra node flags for the gateway process (e.g. --cpu-prof to profile it under load).
const GATEWAY_NODE_ARGS = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);

interface Target {
  path: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

async function main(): Promise<void> {
  const dbName = `vf_bench_gateway_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const prefix = `vf-bench-gw-${process.pid}`;
  let gateway: ChildProcess | undefined;
  const transport = createTransport({ redisUrl: REDIS_URL, prefix });
  try {
    gateway = spawn(
      process.execPath,
      [...GATEWAY_NODE_ARGS, resolve(ROOT, 'dist/apps/gateway/src/main.js')],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          PORT: String(PORT),
          HOST: '127.0.0.1',
          DATABASE_URL: url.toString(),
          REDIS_URL,
          QUEUE_PREFIX: prefix,
          LOG_LEVEL: 'warn',
          // The limiter stays on (its cost is part of the figure) with room for the load.
          RATE_LIMIT_PER_WINDOW: '1000000000',
        },
        // A profiling flag's own output (e.g. --trace-gc) is shown; the gateway's logs are not.
        stdio: ['ignore', GATEWAY_NODE_ARGS.length > 0 ? 'inherit' : 'ignore', 'inherit'],
      },
    );
    const base = `http://127.0.0.1:${PORT}`;
    await waitForReady(base);
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const { key, tenantId } = await seed(db);
    await db.end();
    // Two GPU nodes, so simulate has a real placement to compute.
    const beat = setInterval(() => {
      for (const nodeId of ['bench-node-a', 'bench-node-b'])
        void transport.publish('node.heartbeat', heartbeat(nodeId, tenantId));
    }, 500);
    for (const nodeId of ['bench-node-a', 'bench-node-b'])
      await transport.publish('node.heartbeat', heartbeat(nodeId, tenantId));
    await new Promise((r) => setTimeout(r, 500));
    const auth = { authorization: `Bearer ${key}` };
    const targets: Record<'bare' | 'quota' | 'simulate', Target> = {
      bare: { path: '/health/live', method: 'GET' },
      quota: { path: '/v1/quota', method: 'GET', headers: auth },
      simulate: {
        path: '/admin/gpu/simulate',
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          vramBytesPerDevice: 8 * GiB,
          gpus: 1,
          priority: 'normal',
          estimatedDurationMs: 60_000,
        }),
      },
    };
    // Correctness before speed: each target answers 200 with what it should.
    await check(base, targets);
    for (const target of Object.values(targets)) await run(base, target, 2); // warm-up
    const paced: Record<string, PacedResult> = {};
    const names = (['bare', 'quota', 'simulate'] as const).filter((name) => ONLY.includes(name));
    const flat: Partial<Record<(typeof names)[number], FlatResult>> = await interleavedFlat(
      names,
      ROUNDS,
      SECONDS,
      (name, seconds) => run(base, targets[name], seconds),
    );
    for (const name of names) paced[name] = await pacedLoad(base, targets[name], 500, SECONDS);
    clearInterval(beat);
    const rps = (r: FlatResult | undefined) => r?.rps ?? 0;
    for (const [name, r] of Object.entries(flat)) {
      const slices = r.sliceRps.map((x) => x.toFixed(0)).join(' ');
      process.stdout.write(
        `${name.padEnd(12)} ${rps(r).toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}  (turns: ${slices})\n`,
      );
    }
    for (const [name, r] of Object.entries(paced)) {
      process.stdout.write(
        `${`${name}@500`.padEnd(12)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  failed ${r.failed}  (generator's own send lag p99 ${r.sendLagP99.toFixed(1)} ms)\n`,
      );
    }
    const failures =
      Object.values(flat).reduce((n, r) => n + r.non2xx + r.errors, 0) +
      Object.values(paced).reduce((n, r) => n + r.failed, 0);
    if (failures > 0) throw new Error(`${failures} requests failed during the run`);
    if (names.length < 3) {
      process.stdout.write('BENCH_ONLY: a partial run, no figures recorded\n');
      return;
    }
    reportBench('gateway', {
      quota_rps: rps(flat.quota),
      simulate_rps: rps(flat.simulate),
      bare_rps: rps(flat.bare),
      quota_ratio: rps(flat.quota) / rps(flat.bare),
      simulate_ratio: rps(flat.simulate) / rps(flat.bare),
      quota_p50_ms: flat.quota?.p50 ?? Number.NaN,
      quota_p99_ms: flat.quota?.p99 ?? Number.NaN,
      simulate_p50_ms: flat.simulate?.p50 ?? Number.NaN,
      simulate_p99_ms: flat.simulate?.p99 ?? Number.NaN,
      bare_p99_ms: flat.bare?.p99 ?? Number.NaN,
      bare_p99_ms_at_500: paced.bare?.p99 ?? Number.NaN,
      quota_p99_ms_at_500: paced.quota?.p99 ?? Number.NaN,
      simulate_p99_ms_at_500: paced.simulate?.p99 ?? Number.NaN,
      quota_rps_at_500: paced.quota?.rps ?? 0,
      simulate_rps_at_500: paced.simulate?.rps ?? 0,
      // Other work on the machine shares its cores; the figures above move with it.
      load_avg_1m: loadavg()[0] ?? 0,
    });
  } finally {
    // SIGTERM lets a profiled gateway write its profile; a stuck one is killed below.
    await stopGateway(gateway);
    await transport.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

function run(base: string, target: Target, duration: number): Promise<Result> {
  return autocannon({
    url: `${base}${target.path}`,
    method: target.method,
    headers: target.headers,
    body: target.body,
    connections: CONNECTIONS,
    duration,
  });
}

async function check(base: string, targets: Record<string, Target>): Promise<void> {
  for (const [name, target] of Object.entries(targets)) {
    const response = await fetch(`${base}${target.path}`, {
      method: target.method,
      headers: target.headers,
      body: target.body,
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${name}: ${response.status} ${JSON.stringify(body)}`);
    if (name === 'simulate' && body.outcome !== 'would-start') {
      throw new Error(`simulate should fit on the bench fleet: ${JSON.stringify(body)}`);
    }
  }
}

async function seed(db: pg.Client): Promise<{ key: string; tenantId: string }> {
  const tenant = await db.query<{ id: string }>(
    `INSERT INTO tenants (name, edition) VALUES ('bench', 'pro') RETURNING id`,
  );
  const tenantId = tenant.rows[0]?.id ?? '';
  const principal = await db.query<{ id: string }>(
    `INSERT INTO principals (tenant_id, kind, name, roles) VALUES ($1, 'service', 'bench', '{tenant-member}') RETURNING id`,
    [tenantId],
  );
  const generated = generateApiKey();
  await db.query(`INSERT INTO api_keys (principal_id, prefix, key_hash) VALUES ($1, $2, $3)`, [
    principal.rows[0]?.id,
    generated.prefix,
    generated.hash,
  ]);
  return { key: generated.key, tenantId };
}

async function stopGateway(gateway: ChildProcess | undefined): Promise<void> {
  if (gateway === undefined || gateway.exitCode !== null) return;
  const exited = new Promise((r) => gateway.once('exit', r));
  gateway.kill('SIGTERM');
  const timer = setTimeout(() => gateway.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForReady(base: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('gateway did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function heartbeat(nodeId: string, tenantId: string): NodeHeartbeat {
  return {
    nodeId,
    hostname: nodeId,
    sentAt: Date.now(),
    state: 'ready',
    cpu: { cores: 16, load1: 1, slots: { total: 4, free: 4 } },
    runningJobs: 1,
    devices: [0, 1, 2, 3].map((index) => ({
      index,
      uuid: `GPU-${nodeId}-${index}`,
      name: 'NVIDIA H100 80GB HBM3',
      memoryTotalBytes: 80 * GiB,
      memoryFreeBytes: (index === 0 ? 70 : 80) * GiB,
      capability: {
        vendor: 'nvidia',
        architecture: 'hopper',
        computeCapability: { major: 9, minor: 0 },
        precisions: ['fp32', 'fp16', 'bf16', 'fp8'],
        tensorCores: true,
      },
      telemetry: {
        utilization: 0.4,
        temperatureC: 55,
        powerW: 350,
        smClockMhz: 1980,
        throttling: false,
        xidErrors: 0,
      },
      pool: {
        capacityBytes: 76 * GiB,
        allocatedBytes: index === 0 ? 10 * GiB : 0,
        peakBytes: 12 * GiB,
        largestFreeBlockBytes: 60 * GiB,
        byTenant: index === 0 ? { [tenantId]: 10 * GiB } : {},
        allocations: 10,
        allocationFailures: 0,
        softOoms: 0,
        hardOoms: 0,
      },
      healthy: true,
    })),
  };
}

await main();
