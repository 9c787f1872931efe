import type { TransportEventName, TransportEvents } from '@voxelfleet/contracts';

/** Lower numbers run first; jobs of equal priority run in the order they were enqueued. */
export const DEFAULT_PRIORITY = 100;
export const MAX_PRIORITY_VALUE = 2_097_151; // BullMQ's upper bound

export interface BackoffOptions {
  type: 'fixed' | 'exponential';
  /** Fixed: the wait before each retry. Exponential: the first wait, doubled each retry. */
  delayMs: number;
}

export interface EnqueueOptions {
  priority?: number;
  delayMs?: number;
  /** Total tries including the first (default 1: no retry). */
  attempts?: number;
  backoff?: BackoffOptions;
  /** A stable id makes enqueue idempotent: a second enqueue with the same id is ignored. */
  jobId?: string;
}

/** One job of an `enqueueBulk` call. */
export interface BulkEnqueueItem<T> {
  name: string;
  data: T;
  options?: EnqueueOptions;
}

export interface DeliveredJob<T> {
  id: string;
  queue: string;
  name: string;
  data: T;
  /** 1 on the first try, 2 on the first retry... */
  attempt: number;
  /** Carrier of the W3C trace context from the producer. */
  headers: Record<string, string>;
}

export type JobHandler<T> = (job: DeliveredJob<T>) => Promise<unknown>;

export interface ConsumeOptions {
  concurrency?: number;
}

export interface Consumer {
  /**
   * Graceful by default: take no new jobs and wait for the running ones. `force` abandons them
   * as a crashed process would, and they are redelivered to another consumer.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

export type JobEvent =
  | { type: 'completed'; queue: string; jobId: string; result: unknown }
  | { type: 'failed'; queue: string; jobId: string; reason: string };

export type Unsubscribe = () => Promise<void>;

/** The message/queue port. Adapters: BullMQ on Redis, and in-process for a single process. */
export interface Transport {
  readonly kind: 'bullmq' | 'in-process';
  enqueue<T>(queue: string, name: string, data: T, options?: EnqueueOptions): Promise<string>;
  /**
   * Many jobs on one queue in one round trip, with `enqueue`'s semantics for each (a repeated
   * jobId, in the batch or already queued, is the same job). All or nothing: invalid options
   * reject the whole batch before any job is added. Ids come back in the items' order.
   */
  enqueueBulk<T>(queue: string, items: readonly BulkEnqueueItem<T>[]): Promise<string[]>;
  consume<T>(queue: string, handler: JobHandler<T>, options?: ConsumeOptions): Consumer;
  /** Completed jobs, and jobs that failed their last attempt. */
  onJobEvent(queue: string, listener: (event: JobEvent) => void): Promise<Unsubscribe>;
  publish<K extends TransportEventName>(channel: K, payload: TransportEvents[K]): Promise<void>;
  subscribe<K extends TransportEventName>(
    channel: K,
    handler: (payload: TransportEvents[K], headers: Record<string, string>) => void,
  ): Promise<Unsubscribe>;
  /** Resolves when the transport can move messages (readiness). */
  ping(): Promise<void>;
  /** Stops every consumer gracefully, then releases connections. */
  close(): Promise<void>;
}

export class TransportClosedError extends Error {
  constructor() {
    super('transport is closed');
    this.name = 'TransportClosedError';
  }
}

/** Wait before retry number `retry` (1 = first retry). */
export function backoffDelay(backoff: BackoffOptions | undefined, retry: number): number {
  if (!backoff) return 0;
  return backoff.type === 'fixed' ? backoff.delayMs : backoff.delayMs * 2 ** (retry - 1);
}

export function validateEnqueueOptions(options: EnqueueOptions): void {
  const { priority, attempts, delayMs } = options;
  if (
    priority !== undefined &&
    (!Number.isInteger(priority) || priority < 1 || priority > MAX_PRIORITY_VALUE)
  ) {
    throw new RangeError(`priority must be an integer in 1..${MAX_PRIORITY_VALUE}`);
  }
  if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 1)) {
    throw new RangeError('attempts must be a positive integer');
  }
  if (delayMs !== undefined && (!Number.isFinite(delayMs) || delayMs < 0)) {
    throw new RangeError('delayMs must be a non-negative number');
  }
}
