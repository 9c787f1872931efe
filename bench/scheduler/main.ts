import { execFileSync } from 'node:child_process';
import process from 'node:process';
import { percentile, reportBench } from '../lib/results.js';
import { BenchStack, type BenchEnv } from './bench-stack.js';
import { rawBullmq } from './raw-bullmq.js';

/**
 * bench:scheduler — jobs end to end (submit → place → dispatch → a simulated node runs the
 * no-op kernel and reports → succeeded recorded) through the real scheduler module, with
 * 1, 10 and 100 simulated nodes, beside raw BullMQ on the same Redis in the same run.
 */
const env: BenchEnv = {
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  postgresAdminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};
/** Jobs per throughput run, the same for the raw BullMQ baseline and each scheduler setup. */
const THROUGHPUT_JOBS = Number(process.env.BENCH_JOBS ?? 20_000);

async function throughput(nodes: number): Promise<number> {
  const stack = await BenchStack.create(env, `tp${nodes}`);
  try {
    // Dispatch receipts cost the measured process work; only the timeline reads them here.
    await stack.start(nodes, {}, Boolean(process.env.BENCH_TIMELINE));
    for (let i = 0; i < THROUGHPUT_JOBS; i += 1_000) await stack.submit(Math.min(1_000, THROUGHPUT_JOBS - i));
    await stack.waitFor(['succeeded'], THROUGHPUT_JOBS, 300_000);
    const rows: { seconds: number }[] = await stack.db.query(
      `SELECT extract(epoch FROM max(updated_at) - min(submitted_at))::float8 AS seconds FROM jobs`,
    );
    const rate = THROUGHPUT_JOBS / (rows[0]?.seconds ?? Number.NaN);
    if (process.env.BENCH_TIMELINE) process.stdout.write(`  ${await timeline(stack)}\n`);
    process.stdout.write(
      `  ${nodes} node(s): ${THROUGHPUT_JOBS} jobs, ${rate.toFixed(0)} jobs/s (${await stack.passSummary()})\n`,
    );
    return rate;
  } finally {
    await stack.stop();
    settleBetweenSetups();
  }
}

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

/** Kill one of ten nodes holding running jobs: seconds until all its jobs run elsewhere. */
async function failover(): Promise<number> {
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
    process.stdout.write(
      `  failover: ${ids.length} jobs of ${victim.nodeId} running elsewhere after ${seconds.toFixed(2)} s\n`,
    );
    return seconds;
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

async function main(): Promise<void> {
  // BENCH_ONLY=10 measures the 10-node throughput alone (BENCH_ONLY=10,100: one after the
  // other, the first warming the code up), BENCH_ONLY=latency the open loop at 1,000 jobs/s
  // alone (for profiling).
  if (process.env.BENCH_ONLY === 'latency') {
    const latency = await latencyAt1000();
    process.stdout.write(
      `  at 1,000 jobs/s: dispatch p50 ${latency.dispatchP50.toFixed(0)} ms, p99 ${latency.dispatchP99.toFixed(0)} ms; done p50 ${latency.doneP50.toFixed(0)} ms, p99 ${latency.doneP99.toFixed(0)} ms\n`,
    );
    return;
  }
  if (process.env.BENCH_ONLY) {
    for (const nodes of process.env.BENCH_ONLY.split(',')) await throughput(Number(nodes));
    return;
  }
  process.stdout.write(`raw BullMQ (producer addBulk -> worker, no-op), ${THROUGHPUT_JOBS} jobs\n`);
  settleBetweenSetups();
  const bullmq = await rawBullmq(env.redisUrl, `vf-bench-raw-${process.pid}`, THROUGHPUT_JOBS);
  process.stdout.write(`  ${bullmq.toFixed(0)} jobs/s\n`);
  process.stdout.write('scheduler end to end\n');
  const one = await throughput(1);
  const ten = await throughput(10);
  const hundred = await throughput(100);
  const latency = await latencyAt1000();
  const failoverS = await failover();
  reportBench('scheduler', {
    jobs_per_s_1_node: one,
    jobs_per_s_10_nodes: ten,
    jobs_per_s_100_nodes: hundred,
    bullmq_jobs_per_s: bullmq,
    ratio_vs_bullmq: hundred / bullmq,
    p50_dispatch_ms_at_1000: latency.dispatchP50,
    p99_dispatch_ms_at_1000: latency.dispatchP99,
    p50_done_ms_at_1000: latency.doneP50,
    p99_done_ms_at_1000: latency.doneP99,
    failover_s: failoverS,
  });
}

await main();
