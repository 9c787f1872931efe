import { Worker } from 'node:worker_threads';
import type { KernelCall, KernelResult } from './kernel-call.js';
import { callBuffers } from './kernel-call.js';

export interface CpuTask {
  id: number;
  calls: KernelCall[];
}

export type CpuCallOutcome =
  { ok: true; result: KernelResult; ms: number } | { ok: false; code: string; message: string; ms: number };

export type CpuTaskOutcome =
  | { status: 'done'; outcomes: CpuCallOutcome[] }
  /** The limit passed; the worker was terminated and replaced. */
  | { status: 'limit'; elapsedMs: number }
  | { status: 'crashed'; message: string };

/** Runs CPU kernel calls under a time limit (the worker pool, or an in-thread stand-in in tests). */
export interface CpuRunner {
  run(calls: KernelCall[], limitMs: number): Promise<CpuTaskOutcome>;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Pending {
  calls: KernelCall[];
  limitMs: number;
  resolve: (o: CpuTaskOutcome) => void;
}

const WORKER_URL = new URL('./cpu-kernel.worker.js', import.meta.url);

/**
 * Worker threads that run CPU kernels, one task (one job, or one batch of tiny jobs) per
 * worker at a time. A task past its limit has its worker terminated, so a runaway kernel
 * frees its core instead of hanging the node.
 */
export class CpuWorkerPool implements CpuRunner {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number) {}

  /** Workers running a task now. */
  get busy(): number {
    return this.slots.filter((s) => s.busy).length;
  }

  run(calls: KernelCall[], limitMs: number): Promise<CpuTaskOutcome> {
    if (this.closed) return Promise.resolve({ status: 'crashed', message: 'CPU pool is closed' });
    return new Promise((resolve) => {
      this.queue.push({ calls, limitMs, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.resolve({ status: 'crashed', message: 'CPU pool is closed' });
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) {
        slot = { worker: new Worker(WORKER_URL), busy: false };
        slot.worker.unref();
        this.slots.push(slot);
      }
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private start(slot: Slot, task: Pending): void {
    slot.busy = true;
    const id = this.nextId++;
    const started = performance.now();
    const { worker } = slot;
    const finish = (outcome: CpuTaskOutcome, replace: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (replace) {
        const at = this.slots.indexOf(slot);
        if (at >= 0) this.slots.splice(at, 1);
        void worker.terminate();
      } else {
        slot.busy = false;
      }
      task.resolve(outcome);
      if (!this.closed) this.pump();
    };
    const onMessage = (m: { id: number; outcomes: CpuCallOutcome[] }) => {
      if (m.id === id) finish({ status: 'done', outcomes: m.outcomes }, false);
    };
    const onError = (e: Error) => finish({ status: 'crashed', message: e.message }, true);
    const onExit = (code: number) =>
      finish({ status: 'crashed', message: `CPU worker exited with ${code}` }, true);
    const timer = setTimeout(
      () => finish({ status: 'limit', elapsedMs: performance.now() - started }, true),
      Math.max(1, task.limitMs),
    );
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    const message: CpuTask = { id, calls: task.calls };
    worker.postMessage(message, task.calls.flatMap(callBuffers));
  }
}
