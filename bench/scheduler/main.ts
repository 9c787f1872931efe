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
const THROUGHPUT_JOBS = Number(process.env.BENCH_JOBS ?? 10_000);

async function throughput(nodes: number): Promise<number> {
  const stack = await BenchStack.create(env, `tp${nodes}`);
  try {
    await stack.start(nodes);
    for (let i = 0; i < THROUGHPUT_JOBS; i += 1_000) await stack.submit(Math.min(1_000, THROUGHPUT_JOBS - i));
    await stack.waitFor(['succeeded'], THROUGHPUT_JOBS, 300_000);
    const rows: { seconds: number }[] = await stack.db.query(
      `SELECT extract(epoch FROM max(updated_at) - min(submitted_at))::float8 AS seconds FROM jobs`,
    );
    const rate = THROUGHPUT_JOBS / (rows[0]?.seconds ?? Number.NaN);
    process.stdout.write(
      `  ${nodes} node(s): ${THROUGHPUT_JOBS} jobs, ${rate.toFixed(0)} jobs/s (${await stack.passSummary()})\n`,
    );
    return rate;
  } finally {
    await stack.stop();
  }
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
  }
}

async function main(): Promise<void> {
  // BENCH_ONLY=10 measures the 10-node throughput alone, BENCH_ONLY=latency the open loop
  // at 1,000 jobs/s alone (for profiling).
  if (process.env.BENCH_ONLY === 'latency') {
    const latency = await latencyAt1000();
    process.stdout.write(
      `  at 1,000 jobs/s: dispatch p50 ${latency.dispatchP50.toFixed(0)} ms, p99 ${latency.dispatchP99.toFixed(0)} ms; done p50 ${latency.doneP50.toFixed(0)} ms, p99 ${latency.doneP99.toFixed(0)} ms\n`,
    );
    return;
  }
  if (process.env.BENCH_ONLY) {
    await throughput(Number(process.env.BENCH_ONLY));
    return;
  }
  process.stdout.write('raw BullMQ (producer addBulk -> worker, no-op)\n');
  const bullmq = await rawBullmq(env.redisUrl, `vf-bench-raw-${process.pid}`, 20_000);
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
