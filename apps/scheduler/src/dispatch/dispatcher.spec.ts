import { describe, expect, it } from '@jest/globals';
import { dispatchesIn, JOB_DISPATCH_BATCH, nodeQueue, type JobDispatch } from '@voxelfleet/contracts';
import type { Placement, PriorityClass } from '@voxelfleet/scheduling';
import { InProcessTransport, type DeliveredJob } from '@voxelfleet/transport';
import type { DataSource } from 'typeorm';
import type { QueuedJobRow } from '../jobs/job-row.js';
import { shardQueue, type RoutedDispatch, type RoutedDispatchBatch } from './dispatch-routing.js';
import { Dispatcher, type DispatchOrder } from './dispatcher.js';

/** Built-in kernels never touch the kernel registry; a registry read would be a bug here. */
const noRegistry = new Proxy({} as DataSource, {
  get: () => {
    throw new Error('a built-in kernel read the kernel registry');
  },
});

function order(id: string, nodeId: string, priority: PriorityClass = 'normal', attempt = 1): DispatchOrder {
  const row: QueuedJobRow = {
    id,
    tenant_id: 'tenant-a',
    workflow_id: null,
    state: 'admitted',
    kernel: { name: 'noop' },
    inputs: {},
    vram_bytes: '0',
    gpus: 1,
    priority,
    boost: 0,
    deadline_at: null,
    estimated_duration_ms: null,
    timeout_ms: 60_000,
    preemptible: false,
    affinity: null,
    cpu_fallback_allowed: true,
    granted_device_classes: null,
    max_attempts: 3,
    attempt: attempt - 1,
    checkpoint_at: null,
    submitted_at: new Date(0),
    pending: null,
    launches: 1,
    checkpointable: false,
    preemption_grace_ms: 0,
  };
  const placement: Placement = { target: 'cpu', nodeId, score: 1, reason: 'test' };
  return { row, attempt, placement };
}

async function delivered(transport: InProcessTransport, nodeId: string, messages: number) {
  const got: DeliveredJob<unknown>[] = [];
  await new Promise<void>((resolve) => {
    transport.consume(nodeQueue(nodeId), (job) => {
      got.push(job);
      if (got.length === messages) resolve();
      return Promise.resolve();
    });
  });
  return got;
}

describe('Dispatcher', () => {
  it('sends one message per node: a batch for several placements, a plain dispatch for one', async () => {
    const transport = new InProcessTransport();
    const dispatcher = new Dispatcher(transport, noRegistry);
    await dispatcher.dispatch([
      order('a1', 'node-a', 'low'),
      order('b1', 'node-b'),
      order('a2', 'node-a', 'high'),
      order('a3', 'node-a'),
    ]);
    const [onA, onB] = await Promise.all([
      delivered(transport, 'node-a', 1),
      delivered(transport, 'node-b', 1),
    ]);
    const batch = onA[0] as DeliveredJob<unknown>;
    expect(batch.name).toBe(JOB_DISPATCH_BATCH);
    // The pass's order is kept within the node.
    expect(dispatchesIn(batch.data).map((d) => (d as JobDispatch).jobId)).toEqual(['a1', 'a2', 'a3']);
    const single = onB[0] as DeliveredJob<unknown>;
    expect(single.name).toBe('noop');
    expect(dispatchesIn(single.data)).toEqual([expect.objectContaining({ jobId: 'b1', attempt: 1 })]);
    await transport.close();
  });

  it('gives a batch the priority of its most urgent job', async () => {
    const transport = new InProcessTransport();
    const dispatcher = new Dispatcher(transport, noRegistry);
    // Queued before the batch, at normal priority: the batch holding a realtime job goes first.
    await dispatcher.dispatch([order('n1', 'node-a', 'normal')]);
    await dispatcher.dispatch([order('x1', 'node-a', 'background'), order('x2', 'node-a', 'realtime')]);
    const got = await delivered(transport, 'node-a', 2);
    expect(got.map((m) => m.name)).toEqual([JOB_DISPATCH_BATCH, 'noop']);
    await transport.close();
  });

  it('dispatches the same placements once however often it is asked', async () => {
    const transport = new InProcessTransport();
    const dispatcher = new Dispatcher(transport, noRegistry);
    const orders = [order('a1', 'node-a', 'normal', 2), order('a2', 'node-a')];
    await dispatcher.dispatch(orders);
    await dispatcher.dispatch(orders);
    await dispatcher.dispatch([order('a1', 'node-a', 'normal', 2)]);
    await dispatcher.dispatch([order('a1', 'node-a', 'normal', 2)]);
    const got: DeliveredJob<unknown>[] = [];
    transport.consume(nodeQueue('node-a'), (job) => {
      got.push(job);
      return Promise.resolve();
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(got.map((m) => m.id)).toEqual(['a1.2.x2', 'a1.2']);
    await transport.close();
  });

  it('with shards, sends one message per shard naming each node, none on the nodes’ own queues', async () => {
    const transport = new InProcessTransport();
    const dispatcher = new Dispatcher(transport, noRegistry, 4);
    const nodes = ['node-a', 'node-b', 'node-c', 'node-d', 'node-e', 'node-f'];
    await dispatcher.dispatch([
      order('a1', 'node-a'),
      order('a2', 'node-a'),
      ...nodes.slice(1).map((n) => order(`${n}-1`, n)),
    ]);
    const shards = [...new Set(nodes.map((n) => shardQueue(n, 4)))];
    const routes: RoutedDispatch[] = [];
    let messages = 0;
    await Promise.all(
      shards.map(
        (queue) =>
          new Promise<void>((resolve) => {
            transport.consume<RoutedDispatchBatch>(queue, (job) => {
              messages += 1;
              routes.push(...job.data.routes);
              resolve();
              return Promise.resolve();
            });
          }),
      ),
    );
    expect(messages).toBe(shards.length);
    expect(routes.map((r) => r.nodeId).sort()).toEqual(nodes);
    for (const route of routes)
      expect(shardQueue(route.nodeId, 4)).toBe(
        shardQueue(routes.find((r) => r.nodeId === route.nodeId)?.nodeId ?? '', 4),
      );
    const onA = routes.find((r) => r.nodeId === 'node-a');
    expect(dispatchesIn(onA?.payload).map((d) => (d as JobDispatch).jobId)).toEqual(['a1', 'a2']);
    const own: unknown[] = [];
    transport.consume(nodeQueue('node-a'), (job) => {
      own.push(job);
      return Promise.resolve();
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(own).toEqual([]);
    await transport.close();
  });
});
