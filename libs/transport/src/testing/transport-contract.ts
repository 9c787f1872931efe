import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { TransportClosedError, type DeliveredJob, type JobEvent, type Transport } from '../transport.port.js';

export interface ContractHarness {
  /** A fresh transport on isolated queues; `stallMs` bounds redelivery of abandoned jobs. */
  create(): Promise<Transport>;
  stallMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let queueCounter = 0;
const freshQueue = () => `contract-${process.pid}-${Date.now()}-${queueCounter++}`;

const heartbeat = (nodeId: string): NodeHeartbeat => ({
  nodeId,
  hostname: 'h',
  sentAt: 1,
  state: 'ready',
  cpu: { cores: 2, load1: 0.5 },
  devices: [],
  runningJobs: 0,
});

/** The behaviour every Transport adapter must show; run once per adapter. */
export function describeTransportContract(adapter: string, harness: ContractHarness): void {
  describe(`${adapter} transport contract`, () => {
    const open: Transport[] = [];
    const make = async () => {
      const transport = await harness.create();
      open.push(transport);
      return transport;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((transport) => transport.close()));
    });

    it('delivers the payload, name and first attempt number', async () => {
      const transport = await make();
      const queue = freshQueue();
      const received: DeliveredJob<{ n: number }>[] = [];
      transport.consume<{ n: number }>(queue, async (job) => {
        received.push(job);
        return Promise.resolve(job.data.n * 2);
      });
      const id = await transport.enqueue(queue, 'double', { n: 21 });
      const job = await waitFor(() => received[0], 5_000, 'delivery');
      expect(job).toMatchObject({ id, queue, name: 'double', data: { n: 21 }, attempt: 1 });
    });

    it('runs waiting jobs by priority, then in arrival order', async () => {
      const transport = await make();
      const queue = freshQueue();
      await transport.enqueue(queue, 'j', 'low-1', { priority: 10 });
      await transport.enqueue(queue, 'j', 'urgent', { priority: 1 });
      await transport.enqueue(queue, 'j', 'low-2', { priority: 10 });
      await transport.enqueue(queue, 'j', 'middle', { priority: 5 });
      await transport.enqueue(queue, 'j', 'low-3', { priority: 10 });
      const order: string[] = [];
      transport.consume<string>(queue, (job) => {
        order.push(job.data);
        return Promise.resolve();
      });
      await waitFor(() => (order.length === 5 ? order : undefined), 5_000, 'five jobs');
      expect(order).toEqual(['urgent', 'middle', 'low-1', 'low-2', 'low-3']);
    });

    it('runs up to `concurrency` jobs at once', async () => {
      const transport = await make();
      const queue = freshQueue();
      let running = 0;
      let peak = 0;
      let done = 0;
      transport.consume(
        queue,
        async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(100);
          running -= 1;
          done += 1;
        },
        { concurrency: 3 },
      );
      for (let i = 0; i < 6; i++) await transport.enqueue(queue, 'j', i);
      await waitFor(() => (done === 6 ? true : undefined), 5_000, 'six jobs');
      expect(peak).toBe(3);
    });

    it('holds a delayed job back until its delay has passed', async () => {
      const transport = await make();
      const queue = freshQueue();
      let deliveredAt = 0;
      transport.consume(queue, () => {
        deliveredAt = Date.now();
        return Promise.resolve();
      });
      const enqueuedAt = Date.now();
      await transport.enqueue(queue, 'later', {}, { delayMs: 300 });
      await waitFor(() => deliveredAt || undefined, 5_000, 'delayed job');
      expect(deliveredAt - enqueuedAt).toBeGreaterThanOrEqual(290);
    });

    it('retries a failing job with backoff, then reports completion', async () => {
      const transport = await make();
      const queue = freshQueue();
      const events: JobEvent[] = [];
      await transport.onJobEvent(queue, (event) => events.push(event));
      const attempts: { attempt: number; at: number }[] = [];
      transport.consume(queue, (job) => {
        attempts.push({ attempt: job.attempt, at: Date.now() });
        return job.attempt < 3 ? Promise.reject(new Error(`flaky ${job.attempt}`)) : Promise.resolve('ok');
      });
      const id = await transport.enqueue(
        queue,
        'flaky',
        {},
        { attempts: 4, backoff: { type: 'exponential', delayMs: 100 } },
      );
      const completed = await waitFor(() => events.find((e) => e.type === 'completed'), 10_000, 'completion');
      expect(completed).toMatchObject({ jobId: id, result: 'ok' });
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      const [first, second, third] = attempts.map((a) => a.at) as [number, number, number];
      expect(second - first).toBeGreaterThanOrEqual(90); // 100 ms
      expect(third - second).toBeGreaterThanOrEqual(190); // then 200 ms
    });

    it('reports a job as failed once its attempts are used up', async () => {
      const transport = await make();
      const queue = freshQueue();
      const events: JobEvent[] = [];
      await transport.onJobEvent(queue, (event) => events.push(event));
      let tries = 0;
      transport.consume(queue, () => {
        tries += 1;
        return Promise.reject(new Error('bad input'));
      });
      const id = await transport.enqueue(
        queue,
        'doomed',
        {},
        { attempts: 2, backoff: { type: 'fixed', delayMs: 50 } },
      );
      const failed = await waitFor(() => events.find((e) => e.type === 'failed'), 10_000, 'failure');
      expect(failed).toMatchObject({ jobId: id, reason: 'bad input' });
      expect(tries).toBe(2);
    });

    it('redelivers the job of a consumer that died to another consumer', async () => {
      const transport = await make();
      const queue = freshQueue();
      const deliveries: string[] = [];
      const dying = transport.consume(queue, (job) => {
        deliveries.push(`dying:${job.id}`);
        return new Promise(() => undefined); // never finishes: the process "hangs"
      });
      const id = await transport.enqueue(queue, 'work', {});
      await waitFor(() => deliveries[0], 5_000, 'first delivery');
      await dying.close({ force: true });
      const survivor: string[] = [];
      transport.consume(queue, (job) => {
        survivor.push(job.id);
        return Promise.resolve();
      });
      await waitFor(() => survivor[0], harness.stallMs + 10_000, 'redelivery');
      expect(survivor).toEqual([id]);
    });

    it('lets in-flight jobs finish on close, then refuses new work', async () => {
      const transport = await make();
      const queue = freshQueue();
      let started = false;
      let finished = false;
      transport.consume(queue, async () => {
        started = true;
        await sleep(300);
        finished = true;
      });
      await transport.enqueue(queue, 'slow', {});
      await waitFor(() => started || undefined, 5_000, 'start');
      await transport.close();
      expect(finished).toBe(true);
      await expect(transport.enqueue(queue, 'late', {})).rejects.toBeInstanceOf(TransportClosedError);
      await expect(transport.enqueueBulk(queue, [{ name: 'late', data: {} }])).rejects.toBeInstanceOf(
        TransportClosedError,
      );
    });

    it('treats a repeated jobId as the same job', async () => {
      const transport = await make();
      const queue = freshQueue();
      const seen: string[] = [];
      await transport.enqueue(queue, 'once', { v: 1 }, { jobId: 'job-1' });
      await transport.enqueue(queue, 'once', { v: 2 }, { jobId: 'job-1' });
      transport.consume<{ v: number }>(queue, (job) => {
        seen.push(`${job.id}:${job.data.v}`);
        return Promise.resolve();
      });
      await waitFor(() => seen[0], 5_000, 'delivery');
      await sleep(200);
      expect(seen).toEqual(['job-1:1']);
    });

    it('adds a bulk of jobs in one call, each delivered as if enqueued alone', async () => {
      const transport = await make();
      const queue = freshQueue();
      const ids = await transport.enqueueBulk<{ n: number }>(queue, [
        { name: 'a', data: { n: 1 }, options: { priority: 10 } },
        { name: 'b', data: { n: 2 }, options: { priority: 1, jobId: 'bulk-b' } },
        { name: 'c', data: { n: 3 }, options: { priority: 10 } },
      ]);
      expect(ids).toHaveLength(3);
      expect(ids[1]).toBe('bulk-b');
      expect(new Set(ids).size).toBe(3);
      const received: DeliveredJob<{ n: number }>[] = [];
      transport.consume<{ n: number }>(queue, (job) => {
        received.push(job);
        return Promise.resolve();
      });
      await waitFor(() => (received.length === 3 ? true : undefined), 5_000, 'three jobs');
      expect(received.map((job) => [job.id, job.name, job.data.n, job.attempt])).toEqual([
        ['bulk-b', 'b', 2, 1],
        [ids[0], 'a', 1, 1],
        [ids[2], 'c', 3, 1],
      ]);
    });

    it('treats a repeated jobId in a bulk, or one already queued, as the same job', async () => {
      const transport = await make();
      const queue = freshQueue();
      await transport.enqueue(queue, 'once', { v: 0 }, { jobId: 'queued-1' });
      const ids = await transport.enqueueBulk<{ v: number }>(queue, [
        { name: 'once', data: { v: 1 }, options: { jobId: 'queued-1' } },
        { name: 'once', data: { v: 2 }, options: { jobId: 'bulk-1' } },
        { name: 'once', data: { v: 3 }, options: { jobId: 'bulk-1' } },
      ]);
      expect(ids).toEqual(['queued-1', 'bulk-1', 'bulk-1']);
      const seen: string[] = [];
      transport.consume<{ v: number }>(queue, (job) => {
        seen.push(`${job.id}:${job.data.v}`);
        return Promise.resolve();
      });
      await waitFor(() => (seen.length === 2 ? true : undefined), 5_000, 'two deliveries');
      await sleep(200);
      expect(seen.sort()).toEqual(['bulk-1:2', 'queued-1:0']);
    });

    it('retries a bulk job with its own options and reports each outcome', async () => {
      const transport = await make();
      const queue = freshQueue();
      const events: JobEvent[] = [];
      await transport.onJobEvent(queue, (event) => events.push(event));
      transport.consume<string>(queue, (job) =>
        job.data === 'flaky' && job.attempt < 2
          ? Promise.reject(new Error('flaky'))
          : Promise.resolve(job.data),
      );
      const [flaky, steady] = await transport.enqueueBulk<string>(queue, [
        { name: 'j', data: 'flaky', options: { attempts: 2, backoff: { type: 'fixed', delayMs: 50 } } },
        { name: 'j', data: 'steady', options: { delayMs: 100 } },
      ]);
      await waitFor(
        () => (events.filter((e) => e.type === 'completed').length === 2 ? true : undefined),
        10_000,
        'both completions',
      );
      expect(events.filter((e) => e.type === 'failed')).toEqual([]);
      expect(events.map((e) => (e.type === 'completed' ? [e.jobId, e.result] : [])).sort()).toEqual(
        [
          [flaky, 'flaky'],
          [steady, 'steady'],
        ].sort(),
      );
    });

    it('rejects a bulk with an invalid item and adds none of it', async () => {
      const transport = await make();
      const queue = freshQueue();
      await expect(
        transport.enqueueBulk(queue, [
          { name: 'ok', data: 1, options: { jobId: 'bulk-ok' } },
          { name: 'bad', data: 2, options: { attempts: 0 } },
        ]),
      ).rejects.toThrow(/attempts/);
      await transport.enqueue(queue, 'marker', 3);
      const seen: string[] = [];
      transport.consume(queue, (job) => {
        seen.push(job.name);
        return Promise.resolve();
      });
      await waitFor(() => seen[0], 5_000, 'the marker');
      await sleep(200);
      expect(seen).toEqual(['marker']);
      await expect(transport.enqueueBulk(queue, [])).resolves.toEqual([]);
    });

    it('publishes events to every subscriber until they unsubscribe', async () => {
      const transport = await make();
      const a: string[] = [];
      const b: string[] = [];
      const unsubscribeA = await transport.subscribe('node.heartbeat', (hb) => a.push(hb.nodeId));
      await transport.subscribe('node.heartbeat', (hb) => b.push(hb.nodeId));
      await transport.publish('node.heartbeat', heartbeat('n1'));
      await waitFor(() => (a.length && b.length ? true : undefined), 5_000, 'both subscribers');
      await unsubscribeA();
      await transport.publish('node.heartbeat', heartbeat('n2'));
      await waitFor(() => (b.length === 2 ? true : undefined), 5_000, 'second event');
      expect(a).toEqual(['n1']);
      expect(b).toEqual(['n1', 'n2']);
    });

    it('rejects invalid options with a clear error', async () => {
      const transport = await make();
      await expect(transport.enqueue(freshQueue(), 'x', {}, { priority: 0 })).rejects.toThrow(/priority/);
      await expect(transport.enqueue(freshQueue(), 'x', {}, { attempts: 0 })).rejects.toThrow(/attempts/);
    });

    describe('with tracing on', () => {
      const exporter = new InMemorySpanExporter();
      beforeAll(() => {
        trace.setGlobalTracerProvider(
          new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
        );
        context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
        propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      });
      afterAll(() => {
        trace.disable();
        context.disable();
        propagation.disable();
      });

      it('carries the producer trace into the consumer', async () => {
        const transport = await make();
        const queue = freshQueue();
        let consumerTraceId: string | undefined;
        transport.consume(queue, () => {
          consumerTraceId = trace.getActiveSpan()?.spanContext().traceId;
          return Promise.resolve();
        });
        const producerTraceId = await trace.getTracer('test').startActiveSpan('submit', async (span) => {
          await transport.enqueue(queue, 'traced', {});
          span.end();
          return span.spanContext().traceId;
        });
        await waitFor(() => consumerTraceId, 5_000, 'traced delivery');
        expect(consumerTraceId).toBe(producerTraceId);
      });
    });
  });
}
