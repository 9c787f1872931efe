import { fork, type ChildProcess } from 'node:child_process';
import process from 'node:process';
import { percentile, reportBench } from '../lib/results.js';
import { trackUpdate, type ClientPlan, type FromClients } from './payload.js';
import { startSocketIoServer, startWsServer, type BenchServer } from './servers.js';

/**
 * bench:stream: 1,000 subscribers on one stream of 50 tracks at 30 frame-sets/s, through the
 * tracker's socket.io fan-out and through a bare `ws` server in the same run; then the
 * socket.io server again with 100 subscribers that never read, watching its RSS. Delivered
 * messages count the updates of the frame-sets published in the measured window that reached
 * a subscriber (a coalesced catch-up counts once) by the end of a short grace period.
 */
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const STALLED = Number(process.env.BENCH_STALLED ?? 100);
const TRACKS = 50;
const FPS = 30;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_MS = 1_000;
const GRACE_MS = 500;

interface PhaseResult {
  deliveredPerS: number;
  latencies: number[];
}

function waitFor<K extends FromClients['kind']>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<FromClients, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromClients) => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      resolve(message as Extract<FromClients, { kind: K }>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`client process exited (${code})`)));
  });
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;

async function phase(server: BenchServer, plan: ClientPlan, onRunning?: () => void): Promise<PhaseResult> {
  const child = fork(new URL('./clients.js', import.meta.url), [JSON.stringify(plan)], { stdio: 'inherit' });
  try {
    const ready = await waitFor(child, 'ready');
    if (ready.connected !== plan.count) throw new Error(`only ${ready.connected} clients connected`);
    onRunning?.();
    let frameSeq = 0;
    const timer = setInterval(() => server.publish(trackUpdate(++frameSeq, TRACKS, FPS)), 1000 / FPS);
    // Warm-up (JIT, first buffers) is not measured.
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const fromSeq = frameSeq + 1;
    const started = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const toSeq = frameSeq;
    const seconds = (performance.now() - started) / 1000;
    // Let what is in flight arrive; whatever has not arrived by then counts as not delivered.
    await new Promise((r) => setTimeout(r, GRACE_MS));
    clearInterval(timer);
    child.send({ kind: 'report', fromSeq, toSeq });
    const report = await waitFor(child, 'report');
    return { deliveredPerS: report.received / seconds, latencies: report.latencies.sort((a, b) => a - b) };
  } finally {
    child.send({ kind: 'close' });
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const ws = await startWsServer();
  const wsRun = await phase(ws, { mode: 'ws', url: ws.url, count: SUBSCRIBERS, stalled: 0 });
  await ws.close();

  const sio = await startSocketIoServer();
  let rssStart = 0;
  const sioRun = await phase(sio, { mode: 'socket.io', url: sio.url, count: SUBSCRIBERS, stalled: 0 }, () => {
    rssStart = rssMb();
  });
  // RSS halfway through the stalled run and at its end: bounded means the second does not
  // grow with the time the stalled subscribers have been stalled.
  let rssMid = 0;
  const stalledPlan: ClientPlan = { mode: 'socket.io', url: sio.url, count: SUBSCRIBERS, stalled: STALLED };
  const stalledRun = await phase(sio, stalledPlan, () => {
    setTimeout(() => (rssMid = rssMb()), WARMUP_MS + (SECONDS * 1000) / 2).unref();
  });
  const rssEnd = rssMb();
  await sio.close();

  reportBench('stream', {
    subscribers: SUBSCRIBERS,
    tracks: TRACKS,
    frame_sets_per_s: FPS,
    delivered_msgs_per_s: sioRun.deliveredPerS,
    ws_delivered_msgs_per_s: wsRun.deliveredPerS,
    ratio_vs_ws: sioRun.deliveredPerS / wsRun.deliveredPerS,
    p50_latency_ms: percentile(sioRun.latencies, 50),
    p99_latency_ms: percentile(sioRun.latencies, 99),
    ws_p99_latency_ms: percentile(wsRun.latencies, 99),
    stalled_subscribers: STALLED,
    delivered_msgs_per_s_with_stalled: stalledRun.deliveredPerS,
    p99_latency_ms_with_stalled: percentile(stalledRun.latencies, 99),
    rss_mb_start: rssStart,
    rss_mb_mid_with_stalled: rssMid,
    rss_mb_end_with_stalled: rssEnd,
  });
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:stream failed: ${String(error)}\n`);
  process.exit(1);
});
