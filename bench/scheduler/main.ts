import { execFileSync } from 'node:child_process';
import process from 'node:process';
import { percentile, reportBench } from '../lib/results.js';
import { loadavg } from 'node:os';
import { DEFAULT_PLACEMENT_SAMPLE } from '@voxelfleet/scheduling';
import { BenchStack, NODE_LOST_AFTER_MS, type BenchEnv } from './bench-stack.js';
import { packingRun, passCostPerJob } from './placement-quality.js';
import { queueCost } from './queue-cost.js';
import { rawBullmq } from './raw-bullmq.js';

/**
 * bench:scheduler — jobs end to end (submit → place → dispatch → a simulated node runs the
 * no-op kernel and reports → succeeded recorded) through the real scheduler module, with
 * 1 to 10,000 simulated nodes, beside raw BullMQ on the same Redis in the same run; the
 * placement decision alone at 100 to 10,000 nodes; and what per-node dispatch queues cost.
 */
const env: BenchEnv = {
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  postgresAdminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};
/** Jobs per throughput run, the same for the raw BullMQ baseline and each scheduler setup. */
const THROUGHPUT_JOBS = Number(process.env.BENCH_JOBS ?? 20_000);

/** Shared dispatch queues of the runs that relay (SCHEDULER_DISPATCH_SHARDS). */
const SHARDS = 16;

interface ThroughputRun {
  rate: number;
  /** Nodes declared lost during the run, none of which was killed. */
  falseLosses: number;
  /** While the fleet idled before the jobs: heartbeats per second, and the share of the scheduler's event loop busy. */
  idleHeartbeatsPerS: number;
  idleLoopBusy: number;
}

/**
 * `shards` 0: one queue per node, each consumed by its node. Otherwise SHARDS shared queues
 * that the fleet thread relays to the nodes (what a fleet of thousands needs, see queue-cost.ts).
 */
async function throughput(nodes: number, shards = 0): Promise<ThroughputRun> {
  const stack = await BenchStack.create(env, `tp${nodes}${shards ? 's' : ''}`);
  try {
    // Dispatch receipts cost the measured process work; only the timeline reads them here.
    await stack.start(nodes, shards ? { dispatchShards: shards } : {}, Boolean(process.env.BENCH_TIMELINE));
    // The fleet idles for a few heartbeat intervals first: what heartbeats alone cost the scheduler.
    const beats0 = await stack.metric('voxelfleet_node_heartbeats_received_total');
    const loop0 = performance.eventLoopUtilization();
    const idleStarted = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleLoopBusy = performance.eventLoopUtilization(loop0).utilization;
    const idleHeartbeatsPerS =
      ((await stack.metric('voxelfleet_node_heartbeats_received_total')) - beats0) /
      ((performance.now() - idleStarted) / 1_000);
    for (let i = 0; i < THROUGHPUT_JOBS; i += 1_000) await stack.submit(Math.min(1_000, THROUGHPUT_JOBS - i));
    await stack.waitFor(['succeeded'], THROUGHPUT_JOBS, 300_000);
    const rows: { seconds: number }[] = await stack.db.query(
      `SELECT extract(epoch FROM max(updated_at) - min(submitted_at))::float8 AS seconds FROM jobs`,
    );
    const rate = THROUGHPUT_JOBS / (rows[0]?.seconds ?? Number.NaN);
    const falseLosses = await stack.metric('voxelfleet_scheduler_failovers_total');
    if (process.env.BENCH_TIMELINE) process.stdout.write(`  ${await timeline(stack)}\n`);
    process.stdout.write(
      `  ${nodes} node(s)${shards ? `, ${shards} shared dispatch queues` : ''}: ${THROUGHPUT_JOBS} jobs, ${rate.toFixed(0)} jobs/s (${await stack.passSummary()}); idle: ${idleHeartbeatsPerS.toFixed(0)} heartbeats/s, scheduler loop ${(idleLoopBusy * 100).toFixed(1)} % busy; nodes lost ${falseLosses}\n`,
    );
    return { rate, falseLosses, idleHeartbeatsPerS, idleLoopBusy };
  } finally {
    await stack.stop();
    settleBetweenSetups();
  }
}

/** How long a throughput setup's fleet idles before its jobs (heartbeats alone). */
const IDLE_MS = 3_000;

/** Where a throughput run's time went: ms from the first submission to each milestone. */
async function timeline(stack: BenchStack): Promise<string> {
  const rows: ({ start_ms: number } & Record<string, number>)[] = await stack.db.query(
    `SELECT extract(epoch FROM min(submitted_at)) * 1000 AS start_ms,
            extract(epoch FROM max(submitted_at) - min(submitted_at)) * 1000 AS last_submitted,
            extract(epoch FROM min(placed_at) - min(submitted_at)) * 1000 AS first_placed,
            extract(epoch FROM max(placed_at) - min(submitted_at)) * 1000 AS last_placed,
            extract(epoch FROM min(updated_at) - min(submitted_at)) * 1000 AS first_done,
            extract(epoch FROM max(updated_at) - min(submitted_at)) * 1000 AS last_done
       FROM jobs`,
  );
  const { start_ms: startMs, ...row } = rows[0] ?? { start_ms: Number.NaN };
  await stack.flushObservations();
  let first = Infinity;
  let last = -Infinity;
  for (const at of stack.observations.receivedAt.values()) {
    first = Math.min(first, at);
    last = Math.max(last, at);
  }
  row.first_received = first - Number(startMs);
  row.last_received = last - Number(startMs);
  return Object.entries(row)
    .map(([name, ms]) => `${name} ${Number(ms).toFixed(0)} ms`)
    .join(', ');
}

/** Open loop at a fixed rate: 50 jobs every 50 ms for five seconds. */
async function latencyAt1000(): Promise<{
  dispatchP50: number;
  dispatchP99: number;
  doneP50: number;
  doneP99: number;
}> {
  const stack = await BenchStack.create(env, 'lat');
  try {
    await stack.start(10);
    const batches = 100;
    const started = Date.now();
    for (let b = 0; b < batches; b += 1) {
      await stack.submit(50);
      const next = started + (b + 1) * 50;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    await stack.waitFor(['succeeded'], batches * 50, 120_000);
    await stack.flushObservations();
    const rows: { id: string; submitted: number; done: number }[] = await stack.db.query(
      `SELECT id, extract(epoch FROM submitted_at) * 1000 AS submitted, extract(epoch FROM updated_at) * 1000 AS done
         FROM jobs`,
    );
    const dispatch: number[] = [];
    const done: number[] = [];
    for (const row of rows) {
      const received = stack.observations.receivedAt.get(row.id);
      if (received !== undefined) dispatch.push(received - Number(row.submitted));
      done.push(Number(row.done) - Number(row.submitted));
    }
    dispatch.sort((a, b) => a - b);
    done.sort((a, b) => a - b);
    return {
      dispatchP50: percentile(dispatch, 50),
      dispatchP99: percentile(dispatch, 99),
      doneP50: percentile(done, 50),
      doneP99: percentile(done, 99),
    };
  } finally {
    await stack.stop();
    settleBetweenSetups();
  }
}

/**
 * Kill one of ten nodes holding running jobs: seconds until all its jobs run elsewhere, and
 * any other node declared lost meanwhile (a false loss).
 */
async function failover(): Promise<{ seconds: number; falseLosses: number }> {
  const stack = await BenchStack.create(env, 'fo');
  try {
    await stack.start(10);
    await stack.submit(200, { holdMs: 120_000 });
    await stack.waitFor(['running'], 200, 60_000);
    const victim = stack.nodes[3];
    if (!victim) throw new Error('no node to kill');
    const onVictim: { id: string }[] = await stack.db.query(`SELECT id FROM jobs WHERE node_id = $1`, [
      victim.nodeId,
    ]);
    await victim.kill();
    const killedAt = Date.now();
    const ids = onVictim.map((r) => r.id);
    for (;;) {
      const rows: { n: string }[] = await stack.db.query(
        `SELECT count(*) AS n FROM jobs WHERE id = ANY($1::uuid[]) AND state = 'running' AND node_id <> $2`,
        [ids, victim.nodeId],
      );
      if (Number(rows[0]?.n) === ids.length) break;
      if (Date.now() - killedAt > 60_000) throw new Error('failover did not complete within 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (Date.now() - killedAt) / 1000;
    const falseLosses = (await stack.metric('voxelfleet_scheduler_failovers_total')) - 1;
    process.stdout.write(
      `  failover: ${ids.length} jobs of ${victim.nodeId} running elsewhere after ${seconds.toFixed(2)} s (lost after ${NODE_LOST_AFTER_MS} ms of silence); other nodes lost ${falseLosses}\n`,
    );
    return { seconds, falseLosses };
  } finally {
    await stack.stop();
    settleBetweenSetups();
  }
}

/**
 * Each setup starts from a settled machine. Its process heap is collected (npm run
 * bench:scheduler passes --expose-gc): the garbage of 20,000 jobs would otherwise be collected
 * in the middle of the next setup. And the previous setup's writes are flushed to disk: every
 * commit waits for its WAL to reach the disk, and a hundred megabytes of another setup's
 * writes still on their way there made the latency run's commits wait behind them.
 */
function settleBetweenSetups(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  try {
    execFileSync('sync');
  } catch {
    // No sync command here: the next setup just starts sooner.
  }
}

/** `BENCH_ONLY` entries: `100` (nodes, own queues), `1000s` (shared queues), or a named part. */
async function only(parts: readonly string[]): Promise<void> {
  for (const part of parts) {
    if (part === 'latency') {
      const latency = await latencyAt1000();
      process.stdout.write(
        `  at 1,000 jobs/s: dispatch p50 ${latency.dispatchP50.toFixed(0)} ms, p99 ${latency.dispatchP99.toFixed(0)} ms; done p50 ${latency.doneP50.toFixed(0)} ms, p99 ${latency.doneP99.toFixed(0)} ms\n`,
      );
    } else if (part === 'failover') await failover();
    else if (part === 'quality') quality();
    else if (part === 'queues') await queues();
    else await throughput(Number(part.replace(/s$/, '')), part.endsWith('s') ? SHARDS : 0);
  }
}

/** The decision alone: µs per job of a 2,000-job pass, and packing of the sampled scorer vs the full scan. */
function quality(): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const nodes of [100, 1_000, 10_000]) {
    const sampled = passCostPerJob(nodes, 2_000, DEFAULT_PLACEMENT_SAMPLE, false);
    const full = nodes > 1_000 ? Number.NaN : passCostPerJob(nodes, 2_000, 0, false);
    figures[`pass_us_per_job_${nodes}_nodes`] = sampled;
    if (Number.isFinite(full)) figures[`pass_us_per_job_${nodes}_nodes_full_scan`] = full;
    process.stdout.write(
      `  one pass of 2,000 jobs on ${nodes} GPU nodes: ${sampled.toFixed(0)} µs/job sampled${Number.isFinite(full) ? `, ${full.toFixed(0)} µs/job full scan` : ''}\n`,
    );
  }
  for (const policy of ['least-loaded', 'bin-pack'] as const) {
    const { full, sampled } = packingRun(1_000, policy, DEFAULT_PLACEMENT_SAMPLE);
    const key = policy === 'bin-pack' ? '_bin_pack' : '';
    figures[`packing_efficiency_full${key}`] = full.efficiency;
    figures[`packing_efficiency_sampled${key}`] = sampled.efficiency;
    figures[`fragmented_devices_full${key}`] = full.fragmentedShare;
    figures[`fragmented_devices_sampled${key}`] = sampled.fragmentedShare;
    process.stdout.write(
      `  ${policy} on 1,000 mixed nodes: packing ${(full.efficiency * 100).toFixed(1)} % full scan, ${(sampled.efficiency * 100).toFixed(1)} % sampled (${DEFAULT_PLACEMENT_SAMPLE}); fragmented devices ${(full.fragmentedShare * 100).toFixed(1)} % vs ${(sampled.fragmentedShare * 100).toFixed(1)} %; placed ${full.placed} vs ${sampled.placed}\n`,
    );
  }
  return figures;
}

/** Per-node queues against shared ones with routing, on the bench's Redis. */
async function queues(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const [nodes, shards] of [
    [1_000, 0],
    [2_000, 0],
    [10_000, SHARDS],
  ] as const) {
    const cost = await queueCost(env.redisUrl, `vf-bench-q-${process.pid}-${nodes}`, nodes, shards);
    const mode = shards === 0 ? 'own queue per node' : `${shards} shared queues`;
    process.stdout.write(
      `  ${nodes} nodes, ${mode}: ${cost.consumers} consumers up in ${cost.startMs.toFixed(0)} ms holding ${cost.connections} Redis connections; idle Redis ${cost.idleRedisCpuMsPerS.toFixed(0)} ms CPU/s, consumers ${cost.idleClientCpuMsPerS.toFixed(0)} ms CPU/s; one message to every node in ${cost.roundMs.toFixed(0)} ms\n`,
    );
    const key = shards === 0 ? `own_queues_${nodes}` : `shared_queues_${nodes}`;
    figures[`${key}_redis_connections`] = cost.connections;
    figures[`${key}_idle_redis_cpu_ms_per_s`] = cost.idleRedisCpuMsPerS;
    figures[`${key}_round_ms`] = cost.roundMs;
    settleBetweenSetups();
  }
  return figures;
}

async function main(): Promise<void> {
  // BENCH_ONLY=10,100 runs only those throughput setups (the first warming the code up),
  // BENCH_ONLY=1000s,10000s with shared dispatch queues, and latency, failover, quality or
  // queues those parts alone (for profiling).
  if (process.env.BENCH_ONLY) {
    await only(process.env.BENCH_ONLY.split(','));
    return;
  }
  const load = loadavg()[0] ?? 0;
  process.stdout.write('placement: the decision alone (no database, Redis or nodes)\n');
  const decision = quality();
  process.stdout.write(`raw BullMQ (producer addBulk -> worker, no-op), ${THROUGHPUT_JOBS} jobs\n`);
  settleBetweenSetups();
  const bullmq = await rawBullmq(env.redisUrl, `vf-bench-raw-${process.pid}`, THROUGHPUT_JOBS);
  process.stdout.write(`  ${bullmq.toFixed(0)} jobs/s\n`);
  process.stdout.write('scheduler end to end\n');
  const one = await throughput(1);
  const ten = await throughput(10);
  const hundred = await throughput(100);
  const thousand = await throughput(1_000);
  const thousandShared = await throughput(1_000, SHARDS);
  const tenThousand = await throughput(10_000, SHARDS);
  const latency = await latencyAt1000();
  const fo = await failover();
  process.stdout.write('dispatch queues: one per node against shared ones with routing\n');
  const queueFigures = await queues();
  const runs = [one, ten, hundred, thousand, thousandShared, tenThousand];
  reportBench('scheduler', {
    jobs_per_s_1_node: one.rate,
    jobs_per_s_10_nodes: ten.rate,
    jobs_per_s_100_nodes: hundred.rate,
    jobs_per_s_1000_nodes: thousand.rate,
    jobs_per_s_1000_nodes_shared_queues: thousandShared.rate,
    jobs_per_s_10000_nodes: tenThousand.rate,
    ratio_1000_vs_100_nodes: thousand.rate / hundred.rate,
    ratio_10000_vs_100_nodes: tenThousand.rate / hundred.rate,
    bullmq_jobs_per_s: bullmq,
    ratio_vs_bullmq: hundred.rate / bullmq,
    p50_dispatch_ms_at_1000: latency.dispatchP50,
    p99_dispatch_ms_at_1000: latency.dispatchP99,
    p50_done_ms_at_1000: latency.doneP50,
    p99_done_ms_at_1000: latency.doneP99,
    failover_s: fo.seconds,
    false_node_losses: runs.reduce((sum, run) => sum + run.falseLosses, 0) + fo.falseLosses,
    heartbeats_per_s_10000_nodes: tenThousand.idleHeartbeatsPerS,
    heartbeat_loop_busy_10000_nodes: tenThousand.idleLoopBusy,
    heartbeat_loop_busy_1000_nodes: thousand.idleLoopBusy,
    ...decision,
    ...queueFigures,
    load_average_at_start: load,
  });
}

await main();
