/**
 * A CPU kernel worker: runs built-in kernels off the event loop, so heartbeats, metrics and
 * the queue keep moving while the CPU computes, and a run past its limit can be stopped by
 * terminating the thread (a kernel loop cannot be interrupted any other way).
 */
import { parentPort } from 'node:worker_threads';
import { CpuKernelRunner } from '@voxelfleet/cuda';
import { runKernel, type KernelCall } from './kernel-call.js';
import type { CpuCallOutcome, CpuTask } from './cpu-pool.js';

const runner = new CpuKernelRunner();
const port = parentPort;

async function runAll(calls: KernelCall[]): Promise<CpuCallOutcome[]> {
  const outcomes: CpuCallOutcome[] = [];
  for (const call of calls) {
    const started = performance.now();
    try {
      const result = await runKernel(runner, call);
      outcomes.push({ ok: true, result, ms: performance.now() - started });
    } catch (e) {
      outcomes.push({
        ok: false,
        code: typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'ERROR',
        message: e instanceof Error ? e.message : String(e),
        ms: performance.now() - started,
      });
    }
  }
  return outcomes;
}

port?.on('message', (task: CpuTask) => {
  void runAll(task.calls).then((outcomes) => port.postMessage({ id: task.id, outcomes }));
});
