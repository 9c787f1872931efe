import {
  JOB_DISPATCH_BATCH,
  JOB_STOP,
  nodeControlQueue,
  nodeQueue,
  type CustomKernelRef,
  type JobCheckpoint,
  type JobStop,
  type JobDispatch,
  type JobDispatchBatch,
} from '@voxelfleet/contracts';
import { findKernel } from '@voxelfleet/persistence';
import { priorityRank, type Placement } from '@voxelfleet/scheduling';
import type { BulkEnqueueItem, Transport } from '@voxelfleet/transport';
import type { DataSource } from 'typeorm';
import type { QueuedJobRow } from '../jobs/job-row.js';
import { ROUTED_DISPATCH_BATCH, shardQueue, type RoutedDispatchBatch } from './dispatch-routing.js';

type NodeMessage = BulkEnqueueItem<JobDispatch | JobDispatchBatch>;

export interface DispatchOrder {
  row: QueuedJobRow;
  attempt: number;
  placement: Placement;
}

/**
 * Puts placed jobs on their nodes' queues: what a pass placed on one node travels as one
 * JobDispatchBatch message (a single placement as a plain JobDispatch), and all the node
 * queues of a pass are written concurrently. A queue entry is the dominant cost of a job on
 * Redis and on the node, so a pass of many placements costs one entry per node, not per job.
 * The BullMQ job id is `${jobId}.${attempt}` (for a batch, that of its first job with the
 * batch's size), so dispatching the same placements twice runs them once.
 *
 * With `shards` set, a pass sends instead one message per shared queue (shard), carrying the
 * message of each of its nodes with the node's id (`RoutedDispatchBatch`), for fleets served
 * by relays (one consumer per shard that hands each to its node): a queue per node costs a
 * Redis connection and a blocked consumer per node, ten thousand of them outgrow one Redis
 * (bench/scheduler queue-cost.ts), and a message per node and pass costs a large fleet more
 * than the pass's decisions.
 */
export class Dispatcher {
  constructor(
    private readonly transport: Transport,
    private readonly db: DataSource,
    private readonly shards = 0,
  ) {}

  async dispatch(orders: readonly DispatchOrder[]): Promise<void> {
    const now = Date.now();
    const checkpoints = await this.checkpoints(orders);
    // Orders keep the pass's order within each node (priority ties run in that order).
    const byNode = new Map<string, DispatchOrder[]>();
    for (const order of orders) {
      const list = byNode.get(order.placement.nodeId);
      if (list) list.push(order);
      else byNode.set(order.placement.nodeId, [order]);
    }
    const items = await Promise.all(
      [...byNode].map(async ([nodeId, list]) => {
        const messages = await Promise.all(
          list.map((order) => this.message(order, now, checkpoints.get(order.row.id))),
        );
        return { nodeId, item: messageFor(list, messages) };
      }),
    );
    if (this.shards > 0) {
      await this.dispatchRouted(items);
      return;
    }
    await Promise.all(
      items.map(({ nodeId, item }) =>
        this.transport.enqueue(nodeQueue(nodeId), item.name, item.data, item.options),
      ),
    );
  }

  /** One message per shard, carrying each of its nodes' messages (see RoutedDispatchBatch). */
  private async dispatchRouted(items: readonly { nodeId: string; item: NodeMessage }[]): Promise<void> {
    const byShard = new Map<string, { nodeId: string; item: NodeMessage }[]>();
    for (const entry of items) {
      const queue = shardQueue(entry.nodeId, this.shards);
      const list = byShard.get(queue);
      if (list) list.push(entry);
      else byShard.set(queue, [entry]);
    }
    await Promise.all(
      [...byShard].map(([queue, list]) => {
        const batch: RoutedDispatchBatch = {
          routes: list.map(({ nodeId, item }) => ({ nodeId, payload: item.data })),
        };
        // Most urgent first, and the id of the first node's message with the count: the same
        // pass dispatched twice is one message.
        const priority = Math.min(
          ...list.map(({ item }) => item.options?.priority ?? Number.POSITIVE_INFINITY),
        );
        const first = list[0]?.item.options?.jobId ?? '';
        return this.transport.enqueue(queue, ROUTED_DISPATCH_BATCH, batch, {
          jobId: `${first}.r${list.length}`,
          priority,
        });
      }),
    );
  }

  /**
   * Tells nodes to stop runs (preempted or cancelled), each on its node's control queue. A
   * stop is idempotent on the node, so sending one again (until the node confirms) is safe.
   */
  async stop(stops: readonly { nodeId: string; stop: JobStop }[]): Promise<void> {
    await Promise.all(
      stops.map(({ nodeId, stop }) => this.transport.enqueue(nodeControlQueue(nodeId), JOB_STOP, stop)),
    );
  }

  /** The last checkpoints of the jobs that have one: their runs resume from there. */
  private async checkpoints(orders: readonly DispatchOrder[]): Promise<Map<string, JobCheckpoint>> {
    const ids = orders.filter((o) => o.row.checkpoint_at !== null).map((o) => o.row.id);
    if (ids.length === 0) return new Map();
    const rows: { id: string; checkpoint: JobCheckpoint }[] = await this.db.query(
      `SELECT id, checkpoint FROM jobs WHERE id = ANY($1::uuid[]) AND checkpoint IS NOT NULL`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.checkpoint]));
  }

  private async message(
    { row, attempt, placement }: DispatchOrder,
    now: number,
    checkpoint: JobCheckpoint | undefined,
  ): Promise<JobDispatch> {
    const deviceId = placement.target === 'gpu' ? placement.deviceIds[0] : undefined;
    const custom = row.kernel.kernelId ? await this.customKernel(row.kernel.kernelId, row.inputs) : undefined;
    return {
      jobId: row.id,
      attempt,
      tenantId: row.tenant_id,
      kernel: { name: row.kernel.name, ...(custom ? { custom } : {}) },
      inputs: row.inputs,
      ...(deviceId === undefined ? {} : { deviceIndex: Number(deviceId) }),
      vramBytes: Number(row.vram_bytes),
      cpuFallbackAllowed: row.cpu_fallback_allowed,
      timeoutMs: row.timeout_ms,
      ...(row.deadline_at ? { deadlineAtMs: row.deadline_at.getTime() } : {}),
      dispatchedAtMs: now,
      ...(row.launches > 1 ? { launches: row.launches } : {}),
      ...(row.checkpointable ? { checkpointable: true } : {}),
      ...(checkpoint ? { checkpoint } : {}),
    };
  }

  /**
   * The registered kernel with its key from the registry, never from the job. A kernel or key
   * that has gone away travels without a key, and the node refuses it (kernel-rejected).
   */
  private async customKernel(kernelId: string, inputs: QueuedJobRow['inputs']): Promise<CustomKernelRef> {
    const kernel = await findKernel(this.db.manager, kernelId);
    const launch = launchOf(inputs);
    if (!kernel) return { kernelId, ptx: '', manifest: {}, launch };
    return {
      kernelId,
      ptx: kernel.ptx,
      manifest: kernel.manifest,
      signature: kernel.signature,
      ...(kernel.keyRevoked ? {} : { publicKeyPem: kernel.publicKeyPem }),
      launch,
    };
  }
}

/** Launch geometry travels in the inputs as `grid`/`block` arrays of three; default 1×1×1. */
function launchOf(inputs: QueuedJobRow['inputs']): CustomKernelRef['launch'] {
  const dims = (value: unknown): [number, number, number] =>
    Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number')
      ? [value[0] as number, value[1] as number, value[2] as number]
      : [1, 1, 1];
  return { grid: dims(inputs.grid), block: dims(inputs.block) };
}

/** One queue entry for a node's share of a pass: the most urgent job's priority goes first. */
function messageFor(
  orders: readonly DispatchOrder[],
  messages: JobDispatch[],
): BulkEnqueueItem<JobDispatch | JobDispatchBatch> {
  const first = orders[0] as DispatchOrder;
  if (orders.length === 1) {
    return {
      name: first.row.kernel.name,
      data: messages[0] as JobDispatch,
      options: { jobId: `${first.row.id}.${first.attempt}`, priority: priorityRank(first.row.priority) + 1 },
    };
  }
  let rank = Number.POSITIVE_INFINITY;
  for (const order of orders) rank = Math.min(rank, priorityRank(order.row.priority));
  return {
    name: JOB_DISPATCH_BATCH,
    data: { dispatches: messages },
    options: { jobId: `${first.row.id}.${first.attempt}.x${orders.length}`, priority: rank + 1 },
  };
}
