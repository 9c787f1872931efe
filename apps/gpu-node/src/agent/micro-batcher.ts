import type { CpuTaskOutcome } from './cpu-pool.js';
import type { KernelCall } from './kernel-call.js';

/** A CPU pool outcome, or the batch was not started (the node began draining). */
export type BatchOutcome = CpuTaskOutcome | { status: 'refused'; message: string };

interface Waiting {
  call: KernelCall;
  limitMs: number;
  resolve: (o: BatchOutcome) => void;
}

/**
 * Groups tiny CPU jobs of one tenant that arrive within a short window into one worker round
 * trip, which takes one slot under the concurrency limit. What it saves is per-job overhead
 * between threads (a message each way, a worker hand-off, a slot), not kernel time: each job
 * still runs its own kernel, one after another. A batch runs under its tightest member's limit.
 */
export class MicroBatcher {
  private readonly open = new Map<string, { items: Waiting[]; timer: NodeJS.Timeout }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxJobs: number,
    private readonly runBatch: (calls: KernelCall[], limitMs: number) => Promise<BatchOutcome>,
  ) {}

  run(tenant: string, call: KernelCall, limitMs: number): Promise<BatchOutcome> {
    return new Promise((resolve) => {
      let batch = this.open.get(tenant);
      if (!batch) {
        batch = { items: [], timer: setTimeout(() => this.flush(tenant), this.windowMs) };
        this.open.set(tenant, batch);
      }
      batch.items.push({ call, limitMs, resolve });
      if (batch.items.length >= this.maxJobs) this.flush(tenant);
    });
  }

  private flush(tenant: string): void {
    const batch = this.open.get(tenant);
    if (!batch) return;
    this.open.delete(tenant);
    clearTimeout(batch.timer);
    const { items } = batch;
    const limit = Math.min(...items.map((i) => i.limitMs));
    void this.runBatch(
      items.map((i) => i.call),
      limit,
    ).then((outcome) => {
      items.forEach((item, i) => {
        if (outcome.status !== 'done') item.resolve(outcome);
        else item.resolve({ status: 'done', outcomes: [outcome.outcomes[i]!] });
      });
    });
  }
}
