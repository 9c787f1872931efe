import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { reportBench } from '../lib/index.js';
import { treeMemory } from './process-memory.js';

/**
 * `npm run bench:stack`: the embedded stack as `npm start` runs it (the built entry point, its
 * own data folder). Figures:
 * - cold_start_s: first start on an empty data folder (cluster made, migrations, first admin
 *   key) until all four services answer /health/ready;
 * - idle_rss_mb: the whole process tree's memory (PSS: shared pages counted once) after
 *   BENCH_STACK_IDLE_S (60) seconds with nothing running; also the Node process's own RSS;
 * - stop_s: SIGTERM to exit;
 * - warm_start_s: a second start on the same data folder until ready.
 * BENCH_STACK_ENTRY measures another build of the stack (e.g. an older commit's dist).
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = resolve(process.env.BENCH_STACK_ENTRY ?? join(ROOT, 'dist/apps/stack/src/main.js'));
const IDLE_S = Number(process.env.BENCH_STACK_IDLE_S ?? 60);
const PORTS = { GATEWAY_PORT: 4290, SCHEDULER_PORT: 4291, GPU_NODE_PORT: 4292, TRACKER_PORT: 4293 };

function startStack(dataDir: string): ChildProcess {
  const env = { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...stringify(PORTS) };
  return spawn(process.execPath, [ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

function stringify(record: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
}

async function secondsUntilReady(child: ChildProcess): Promise<number> {
  const started = performance.now();
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the stack exited with ${child.exitCode} while starting`);
    const answers = await Promise.all(
      Object.values(PORTS).map((port) =>
        fetch(`http://127.0.0.1:${port}/health/ready`)
          .then((res) => res.ok)
          .catch(() => false),
      ),
    );
    if (answers.every(Boolean)) return (performance.now() - started) / 1000;
    if (Date.now() > deadline) throw new Error('the stack was not ready within 180 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function secondsToStop(child: ChildProcess): Promise<number> {
  const started = performance.now();
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
  return (performance.now() - started) / 1000;
}

const dataDir = mkdtempSync(join(tmpdir(), 'voxelfleet-bench-stack-'));
chmodSync(dataDir, 0o755);
try {
  const first = startStack(dataDir);
  const coldStart = await secondsUntilReady(first);
  process.stdout.write(`cold start ${coldStart.toFixed(2)} s; idling ${IDLE_S} s\n`);
  await new Promise((r) => setTimeout(r, IDLE_S * 1000));
  const memory = treeMemory(first.pid ?? 0);
  const stop = await secondsToStop(first);

  const second = startStack(dataDir);
  const warmStart = await secondsUntilReady(second);
  await secondsToStop(second);

  reportBench('stack', {
    cold_start_s: coldStart,
    warm_start_s: warmStart,
    idle_rss_mb: memory.treePssMb,
    idle_node_rss_mb: memory.rootRssMb,
    idle_rss_sum_mb: memory.treeRssSumMb,
    idle_processes: memory.processes,
    stop_s: stop,
    goal_idle_rss_mb: 300,
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
