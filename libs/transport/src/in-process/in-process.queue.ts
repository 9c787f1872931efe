import type { BackoffOptions, Consumer, DeliveredJob, JobEvent, JobHandler } from '../transport.port.js';
import { JobHeap } from './job-heap.js';

export interface QueuedJob {
  id: string;
  name: string;
  data: unknown;
  headers: Record<string, string>;
  priority: number;
  sequence: number;
  attemptsMade: number;
  attempts: number;
  backoff: BackoffOptions | undefined;
}

interface QueueHooks {
  run(job: QueuedJob, handler: JobHandler<unknown>): Promise<unknown>;
  retryLater(job: QueuedJob, retry: number): void;
  emit(event: JobEvent): void;
}

/** One named queue: waiting jobs in priority order and the consumers that drain it. */
export class InProcessQueue {
  private readonly waiting = new JobHeap<QueuedJob>();
  /** Ids of jobs not yet finished, for idempotent enqueue by jobId. */
  private readonly known = new Set<string>();
  private readonly consumers: LocalConsumer[] = [];

  constructor(
    readonly name: string,
    private readonly hooks: QueueHooks,
  ) {}

  has(id: string): boolean {
    return this.known.has(id);
  }

  register(job: QueuedJob): void {
    this.known.add(job.id);
  }

  push(job: QueuedJob): void {
    this.waiting.push(job);
    this.dispatch();
  }

  addConsumer(handler: JobHandler<unknown>, concurrency: number): Consumer {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError('concurrency must be a positive integer');
    const consumer = new LocalConsumer(this, handler, concurrency);
    this.consumers.push(consumer);
    setImmediate(() => this.dispatch());
    return consumer;
  }

  removeConsumer(consumer: LocalConsumer): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
  }

  async closeConsumers(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.close()));
  }

  /** Hands waiting jobs to consumers with free slots, round-robin so no consumer starves. */
  dispatch(): void {
    for (;;) {
      if (this.waiting.size === 0) return;
      const consumer = this.consumers.find((candidate) => candidate.hasFreeSlot());
      if (!consumer) return;
      const job = this.waiting.pop();
      if (!job) return;
      this.consumers.push(...this.consumers.splice(this.consumers.indexOf(consumer), 1));
      consumer.start(job);
    }
  }

  /** Called by a consumer when its handler settles. */
  settle(job: QueuedJob, outcome: { ok: true; result: unknown } | { ok: false; error: unknown }): void {
    job.attemptsMade += 1;
    if (outcome.ok) {
      this.known.delete(job.id);
      this.hooks.emit({ type: 'completed', queue: this.name, jobId: job.id, result: outcome.result });
    } else if (job.attemptsMade < job.attempts) {
      this.hooks.retryLater(job, job.attemptsMade);
    } else {
      this.known.delete(job.id);
      const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      this.hooks.emit({ type: 'failed', queue: this.name, jobId: job.id, reason });
    }
    this.dispatch();
  }

  /** A job whose consumer died: back to the queue without counting an attempt, as BullMQ does for stalled jobs. */
  abandon(job: QueuedJob): void {
    this.waiting.push(job);
    setImmediate(() => this.dispatch());
  }

  run(job: QueuedJob, handler: JobHandler<unknown>): Promise<unknown> {
    return this.hooks.run(job, handler);
  }
}

class LocalConsumer implements Consumer {
  private readonly running = new Map<QueuedJob, Promise<void>>();
  private closing = false;

  constructor(
    private readonly queue: InProcessQueue,
    private readonly handler: JobHandler<unknown>,
    private readonly concurrency: number,
  ) {}

  hasFreeSlot(): boolean {
    return !this.closing && this.running.size < this.concurrency;
  }

  start(job: QueuedJob): void {
    const done = this.queue.run(job, this.handler as (job: DeliveredJob<unknown>) => Promise<unknown>).then(
      (result) => this.finish(job, { ok: true, result }),
      (error: unknown) => this.finish(job, { ok: false, error }),
    );
    this.running.set(job, done);
  }

  private finish(
    job: QueuedJob,
    outcome: { ok: true; result: unknown } | { ok: false; error: unknown },
  ): void {
    // A force-closed consumer has already given this job back; its late result is ignored.
    if (!this.running.delete(job)) return;
    this.queue.settle(job, outcome);
  }

  async close(options: { force?: boolean } = {}): Promise<void> {
    this.closing = true;
    this.queue.removeConsumer(this);
    if (options.force) {
      const abandoned = [...this.running.keys()];
      this.running.clear();
      for (const job of abandoned) this.queue.abandon(job);
      return;
    }
    await Promise.all(this.running.values());
  }
}
