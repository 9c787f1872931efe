import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AuditWriter, type AuditRecord } from '@voxelfleet/audit';
import { NODE_EVENTS_QUEUE, type NodeEvent } from '@voxelfleet/contracts';
import { DATA_SOURCE, TRANSPORT } from '@voxelfleet/platform';
import type { Consumer, Transport } from '@voxelfleet/transport';
import type { DataSource } from 'typeorm';

/** How a node event reads in the audit log: tenant events in the tenant's chain. */
export function nodeEventAuditRecord(event: NodeEvent): AuditRecord {
  const refused = event.type === 'kernel.rejected' || event.type === 'job.out-of-memory';
  return {
    tenantId: event.tenantId,
    actor: { id: event.nodeId, type: 'node', roles: [] },
    action: `node.${event.type}`,
    resource:
      event.deviceIndex !== undefined && event.jobId === undefined
        ? { type: 'device', id: `${event.nodeId}/${event.deviceIndex}` }
        : { type: 'job', id: event.jobId ?? null },
    outcome: refused || event.type === 'device.out-of-service' ? 'failed' : 'succeeded',
    reason: typeof event.detail.reason === 'string' ? event.detail.reason : null,
    diff: { ...event.detail, nodeAt: new Date(event.at).toISOString(), attempt: event.attempt ?? null },
  };
}

/**
 * Appends the gpu-nodes' events (custom kernels accepted or refused, CPU fallbacks,
 * out-of-memory refusals, devices taken out of service) to the audit log. The queue is
 * durable and every scheduler instance consumes it; each event is appended once, and a
 * failed append leaves the message for a retry.
 */
@Injectable()
export class NodeEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: Consumer;
  private readonly writer = new AuditWriter();

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer = this.transport.consume<NodeEvent>(
      NODE_EVENTS_QUEUE,
      async (job) => {
        await this.dataSource.transaction((manager) =>
          this.writer.append(manager, nodeEventAuditRecord(job.data)),
        );
      },
      { concurrency: 4 },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.close();
  }
}
