import { nodeQueue, type CustomKernelRef, type JobDispatch } from '@voxelfleet/contracts';
import { findKernel } from '@voxelfleet/persistence';
import { priorityRank, type Placement } from '@voxelfleet/scheduling';
import type { BulkEnqueueItem, Transport } from '@voxelfleet/transport';
import type { DataSource } from 'typeorm';
import type { QueuedJobRow } from '../jobs/job-row.js';

export interface DispatchOrder {
  row: QueuedJobRow;
  attempt: number;
  placement: Placement;
}

/**
 * Puts placed jobs on their nodes' queues: one bulk add per node queue and pass, so a pass
 * of many placements costs a round trip per node, not per job. The BullMQ job id is
 * `${jobId}.${attempt}`, so dispatching the same attempt twice (a retry after a lost reply)
 * runs it once.
 */
export class Dispatcher {
  constructor(
    private readonly transport: Transport,
    private readonly db: DataSource,
  ) {}

  async dispatch(orders: readonly DispatchOrder[]): Promise<void> {
    const now = Date.now();
    const byQueue = new Map<string, BulkEnqueueItem<JobDispatch>[]>();
    // Orders keep the pass's order within each node queue (priority ties run in that order).
    const items = await Promise.all(
      orders.map(async (order) => ({
        queue: nodeQueue(order.placement.nodeId),
        item: {
          name: order.row.kernel.name,
          data: await this.message(order, now),
          options: {
            jobId: `${order.row.id}.${order.attempt}`,
            priority: priorityRank(order.row.priority) + 1,
          },
        },
      })),
    );
    for (const { queue, item } of items) {
      const batch = byQueue.get(queue);
      if (batch) batch.push(item);
      else byQueue.set(queue, [item]);
    }
    await Promise.all([...byQueue].map(([queue, batch]) => this.transport.enqueueBulk(queue, batch)));
  }

  private async message({ row, attempt, placement }: DispatchOrder, now: number): Promise<JobDispatch> {
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
