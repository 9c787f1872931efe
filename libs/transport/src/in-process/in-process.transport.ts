import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { TransportEventName, TransportEvents } from '@voxelfleet/contracts';
import { injectTraceContext, withRemoteContext } from '@voxelfleet/observability';
import {
  backoffDelay,
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
import { InProcessQueue, type QueuedJob } from './in-process.queue.js';

/**
 * The transport for the single-process stack: the same semantics as the BullMQ adapter
 * (priorities, delays, retries with backoff, redelivery of abandoned jobs, graceful close),
 * held in memory. Nothing survives a restart, which is why it is only for one process.
 */
export class InProcessTransport implements Transport {
  readonly kind = 'in-process' as const;
  private readonly queues = new Map<string, InProcessQueue>();
  private readonly events = new EventEmitter().setMaxListeners(0);
  private readonly jobEvents = new EventEmitter().setMaxListeners(0);
  private readonly timers = new Set<NodeJS.Timeout>();
  private sequence = 0;
  private closed = false;

  // async, so invalid options reject like the BullMQ adapter's instead of throwing synchronously.
  // eslint-disable-next-line @typescript-eslint/require-await
  async enqueue<T>(queue: string, name: string, data: T, options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) throw new TransportClosedError();
    validateEnqueueOptions(options);
    return this.add(this.queue(queue), name, data, options, injectTraceContext({}));
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async enqueueBulk<T>(queue: string, items: readonly BulkEnqueueItem<T>[]): Promise<string[]> {
    if (this.closed) throw new TransportClosedError();
    // Every item is checked before any is added: the batch is all or nothing, as in BullMQ.
    for (const item of items) validateEnqueueOptions(item.options ?? {});
    if (items.length === 0) return [];
    const target = this.queue(queue);
    const headers = injectTraceContext({});
    return items.map((item) => this.add(target, item.name, item.data, item.options ?? {}, headers));
  }

  consume<T>(queue: string, handler: JobHandler<T>, options: ConsumeOptions = {}): Consumer {
    if (this.closed) throw new TransportClosedError();
    return this.queue(queue).addConsumer(handler as JobHandler<unknown>, options.concurrency ?? 1);
  }

  onJobEvent(queue: string, listener: (event: JobEvent) => void): Promise<Unsubscribe> {
    this.jobEvents.on(queue, listener);
    return Promise.resolve(() => {
      this.jobEvents.off(queue, listener);
      return Promise.resolve();
    });
  }

  publish<K extends TransportEventName>(channel: K, payload: TransportEvents[K]): Promise<void> {
    if (this.closed) return Promise.reject(new TransportClosedError());
    const message = { payload: structuredClone(payload), headers: injectTraceContext({}) };
    // Delivered on a later turn, as a network hop would be, so publishers never run subscribers inline.
    setImmediate(() => this.events.emit(channel, message));
    return Promise.resolve();
  }

  subscribe<K extends TransportEventName>(
    channel: K,
    handler: (payload: TransportEvents[K], headers: Record<string, string>) => void,
  ): Promise<Unsubscribe> {
    const listener = (message: { payload: TransportEvents[K]; headers: Record<string, string> }) =>
      handler(message.payload, message.headers);
    this.events.on(channel, listener);
    return Promise.resolve(() => {
      this.events.off(channel, listener);
      return Promise.resolve();
    });
  }

  ping(): Promise<void> {
    return this.closed ? Promise.reject(new TransportClosedError()) : Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.queues.values()].map((queue) => queue.closeConsumers()));
    this.events.removeAllListeners();
  }

  private add<T>(
    target: InProcessQueue,
    name: string,
    data: T,
    options: EnqueueOptions,
    headers: Record<string, string>,
  ): string {
    const id = options.jobId ?? randomUUID();
    if (options.jobId && target.has(id)) return id;
    const job: QueuedJob = {
      id,
      name,
      data: structuredClone(data),
      headers: { ...headers },
      priority: options.priority ?? DEFAULT_PRIORITY,
      sequence: this.sequence++,
      attemptsMade: 0,
      attempts: options.attempts ?? 1,
      backoff: options.backoff,
    };
    target.register(job);
    this.later(options.delayMs ?? 0, () => target.push(job));
    return id;
  }

  private queue(name: string): InProcessQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new InProcessQueue(name, {
        run: (job, handler) =>
          withRemoteContext(job.headers, `${name} process`, () =>
            handler({
              id: job.id,
              queue: name,
              name: job.name,
              data: job.data,
              attempt: job.attemptsMade + 1,
              headers: job.headers,
            }),
          ),
        retryLater: (job, retry) => this.later(backoffDelay(job.backoff, retry), () => queue?.push(job)),
        emit: (event) => this.jobEvents.emit(name, event),
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  private later(delayMs: number, fn: () => void): void {
    if (delayMs <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, delayMs);
    this.timers.add(timer);
  }
}
