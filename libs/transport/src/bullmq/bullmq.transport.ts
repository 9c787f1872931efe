import type { TransportEventName, TransportEvents } from '@voxelfleet/contracts';
import { injectTraceContext, withRemoteContext } from '@voxelfleet/observability';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  DEFAULT_PRIORITY,
  TransportClosedError,
  validateEnqueueOptions,
  type BulkEnqueueItem,
  type ConsumeOptions,
  type Consumer,
  type EnqueueOptions,
  type JobEvent,
  type JobHandler,
  type Transport,
  type Unsubscribe,
} from '../transport.port.js';

export interface BullMqTransportOptions {
  url: string;
  /** Namespaces every key, so several stacks can share one Redis. */
  prefix: string;
  /** How long a job's lock lasts without renewal; a dead worker's jobs are redelivered after it. */
  lockDurationMs?: number;
  /** How often workers look for jobs whose lock expired. */
  stalledIntervalMs?: number;
}

/** Wire format of a job: the caller's data plus the producer's trace context. */
interface Envelope {
  d: unknown;
  h: Record<string, string>;
}

/** The transport across processes and machines: BullMQ queues and Redis pub/sub. */
export class BullMqTransport implements Transport {
  readonly kind = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly subscriber: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Set<Worker>();
  private readonly queueEvents = new Set<QueueEvents>();
  private readonly channelHandlers = new Map<string, Set<(message: string) => void>>();
  private closed = false;

  constructor(private readonly options: BullMqTransportOptions) {
    // BullMQ requires maxRetriesPerRequest null so blocking commands wait out reconnects.
    this.connection = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: false });
    this.subscriber = this.connection.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.channelHandlers.get(channel) ?? []) handler(message);
    });
  }

  async enqueue<T>(queue: string, name: string, data: T, options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) throw new TransportClosedError();
    validateEnqueueOptions(options);
    const job = await this.queue(queue).add(name, this.envelope(data), jobOptions(options));
    if (!job.id) throw new Error(`BullMQ returned no id for a job on ${queue}`);
    return job.id;
  }

  async enqueueBulk<T>(queue: string, items: readonly BulkEnqueueItem<T>[]): Promise<string[]> {
    if (this.closed) throw new TransportClosedError();
    for (const item of items) validateEnqueueOptions(item.options ?? {});
    if (items.length === 0) return [];
    // One trace context for the batch: every job of it was produced by the same call.
    const headers = injectTraceContext({});
    const jobs = await this.queue(queue).addBulk(
      items.map((item) => ({
        name: item.name,
        data: { d: item.data, h: headers } satisfies Envelope,
        opts: jobOptions(item.options ?? {}),
      })),
    );
    return jobs.map((job) => {
      if (!job.id) throw new Error(`BullMQ returned no id for a job on ${queue}`);
      return job.id;
    });
  }

  consume<T>(queue: string, handler: JobHandler<T>, options: ConsumeOptions = {}): Consumer {
    if (this.closed) throw new TransportClosedError();
    const worker = new Worker(
      queue,
      (job: Job<Envelope>) =>
        withRemoteContext(job.data.h, `${queue} process`, () =>
          handler({
            id: job.id ?? '',
            queue,
            name: job.name,
            data: job.data.d as T,
            attempt: job.attemptsMade + 1,
            headers: job.data.h,
          }),
        ),
      {
        connection: this.connection,
        prefix: this.options.prefix,
        concurrency: options.concurrency ?? 1,
        lockDuration: this.options.lockDurationMs ?? 30_000,
        stalledInterval: this.options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 3,
      },
    );
    // Errors are surfaced through job failure; this keeps a Redis hiccup from crashing the process.
    worker.on('error', () => undefined);
    this.workers.add(worker);
    return {
      close: async ({ force = false } = {}) => {
        this.workers.delete(worker);
        await worker.close(force);
      },
    };
  }

  async onJobEvent(queue: string, listener: (event: JobEvent) => void): Promise<Unsubscribe> {
    const events = new QueueEvents(queue, { connection: this.connection, prefix: this.options.prefix });
    events.on('completed', ({ jobId, returnvalue }) =>
      listener({ type: 'completed', queue, jobId, result: returnvalue }),
    );
    events.on('failed', ({ jobId, failedReason }) =>
      listener({ type: 'failed', queue, jobId, reason: failedReason }),
    );
    events.on('error', () => undefined);
    await events.waitUntilReady();
    this.queueEvents.add(events);
    return async () => {
      this.queueEvents.delete(events);
      await events.close();
    };
  }

  async publish<K extends TransportEventName>(channel: K, payload: TransportEvents[K]): Promise<void> {
    if (this.closed) throw new TransportClosedError();
    await this.connection.publish(
      this.channel(channel),
      JSON.stringify({ p: payload, h: injectTraceContext({}) }),
    );
  }

  async subscribe<K extends TransportEventName>(
    channel: K,
    handler: (payload: TransportEvents[K], headers: Record<string, string>) => void,
  ): Promise<Unsubscribe> {
    const key = this.channel(channel);
    const listener = (message: string) => {
      const { p, h } = JSON.parse(message) as { p: TransportEvents[K]; h: Record<string, string> };
      handler(p, h);
    };
    let handlers = this.channelHandlers.get(key);
    if (!handlers) {
      handlers = new Set();
      this.channelHandlers.set(key, handlers);
      await this.subscriber.subscribe(key);
    }
    handlers.add(listener);
    return async () => {
      handlers.delete(listener);
      if (handlers.size === 0 && this.channelHandlers.get(key) === handlers) {
        this.channelHandlers.delete(key);
        if (!this.closed) await this.subscriber.unsubscribe(key);
      }
    };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new TransportClosedError();
    await this.connection.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.workers].map((worker) => worker.close()));
    await Promise.all([...this.queueEvents].map((events) => events.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.workers.clear();
    this.subscriber.disconnect();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  private envelope<T>(data: T): Envelope {
    return { d: data, h: injectTraceContext({}) };
  }

  private channel(name: string): string {
    return `${this.options.prefix}:events:${name}`;
  }
}

function jobOptions(options: EnqueueOptions) {
  return {
    priority: options.priority ?? DEFAULT_PRIORITY,
    delay: options.delayMs,
    attempts: options.attempts ?? 1,
    backoff: options.backoff ? { type: options.backoff.type, delay: options.backoff.delayMs } : undefined,
    jobId: options.jobId,
    removeOnComplete: { count: 1_000 },
    removeOnFail: { count: 10_000 },
  };
}
