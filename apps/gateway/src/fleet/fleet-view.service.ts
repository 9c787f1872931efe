import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AuditWriter } from '@voxelfleet/audit';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { loadNodeControls, type NodeControlRecord } from '@voxelfleet/persistence';
import { TtlCache } from '../usage/ttl-cache.js';
import { APP_LOGGER, DATA_SOURCE, TRANSPORT } from '@voxelfleet/platform';
import type { Transport, Unsubscribe } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';
import { fleetPicture, type NodeSnapshot, type RunningJob } from '@voxelfleet/scheduling';
import { nodeReportOf } from './fleet-snapshot.js';
import { gpuEventsBetween, type GpuEvent } from './gpu-events.js';
import { nodeViewOf, type HeartbeatRecord, type NodeView } from './node-view.js';

// A forged or runaway stream of node ids must not grow memory without bound.
const MAX_NODES = 10_000;

/**
 * The gateway's own view of the fleet: the latest heartbeat of every node, kept in memory
 * from the `node.heartbeat` event, merged with the operators' `node_controls` on read. Reads
 * never wait on a node; a node that stops reporting turns `lost` after the timeout.
 */
@Injectable()
export class FleetViewService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly records = new Map<string, HeartbeatRecord>();
  private unsubscribe?: Unsubscribe;
  private auditQueue: Promise<void> = Promise.resolve();
  private readonly controls: TtlCache<Map<string, NodeControlRecord>>;
  /**
   * When the latest heartbeat of any node arrived. Placement measures silence up to it, as the
   * scheduler does (see isSilent); the node list shows silence by the clock alone.
   */
  private freshestMs?: number;

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.controls = new TtlCache(settings.policyCacheTtlMs, async () => {
      const rows = await loadNodeControls(dataSource.manager);
      return new Map(rows.map((row) => [row.nodeId, row]));
    });
  }

  /** After an operator changed a node's state through this process. */
  invalidateControls(): void {
    this.controls.invalidate();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.transport.subscribe('node.heartbeat', (heartbeat) =>
      this.record(heartbeat),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.unsubscribe?.();
    await this.auditQueue;
  }

  record(heartbeat: NodeHeartbeat, receivedAtMs = Date.now()): void {
    const previous = this.records.get(heartbeat.nodeId);
    if (previous === undefined && this.records.size >= MAX_NODES) return;
    if (this.freshestMs === undefined || receivedAtMs > this.freshestMs) this.freshestMs = receivedAtMs;
    this.records.set(heartbeat.nodeId, {
      heartbeat,
      firstSeenAtMs: previous?.firstSeenAtMs ?? receivedAtMs,
      receivedAtMs,
    });
    const events = gpuEventsBetween(previous?.heartbeat, heartbeat);
    if (events.length > 0) this.auditQueue = this.auditQueue.then(() => this.auditEvents(events));
  }

  /** Every node known from heartbeats or from an operator's action, in id order. */
  async nodes(nowMs = Date.now()): Promise<NodeView[]> {
    const byId = await this.controls.get();
    const ids = new Set([...this.records.keys(), ...byId.keys()]);
    return [...ids]
      .sort()
      .map((id) => nodeViewOf(this.records.get(id), byId.get(id), nowMs, this.settings.nodeLostAfterMs));
  }

  /**
   * The fleet as placement sees it (libs/scheduling `fleetPicture`, the scheduler's own
   * rules): every node known from heartbeats or an operator's action, less the room `running`
   * holds.
   */
  async picture(running: readonly RunningJob[], nowMs = Date.now()): Promise<NodeSnapshot[]> {
    const byId = await this.controls.get();
    const ids = [...new Set([...this.records.keys(), ...byId.keys()])].sort();
    return fleetPicture({
      reports: ids.map((id) => nodeReportOf(id, this.records.get(id), byId.get(id))),
      running,
      nowMs,
      lostAfterMs: this.settings.nodeLostAfterMs,
      ...(this.freshestMs === undefined ? {} : { freshestMs: this.freshestMs }),
    });
  }

  async node(nodeId: string, nowMs = Date.now()): Promise<NodeView | null> {
    const control = (await this.controls.get()).get(nodeId);
    const record = this.records.get(nodeId);
    if (record === undefined && control === undefined) return null;
    return nodeViewOf(record, control, nowMs, this.settings.nodeLostAfterMs);
  }

  /**
   * Nodes from heartbeats alone, without reading the operators' states: enough to count the
   * VRAM tenants hold on devices, which only needs to know which nodes are still alive.
   */
  reportingNodes(nowMs = Date.now()): NodeView[] {
    return [...this.records.values()].map((record) =>
      nodeViewOf(record, undefined, nowMs, this.settings.nodeLostAfterMs),
    );
  }

  private async auditEvents(events: GpuEvent[]): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        for (const event of events) {
          await this.audit.append(manager, {
            tenantId: null,
            actor: { id: event.nodeId, type: 'node', roles: [] },
            action: event.action,
            resource: {
              type: event.deviceIndex === null ? 'node' : 'gpu-device',
              id: event.deviceIndex === null ? event.nodeId : `${event.nodeId}/gpu${event.deviceIndex}`,
            },
            outcome: event.action === 'gpu.cpu-fallback' ? 'succeeded' : 'failed',
            reason: event.reason,
            diff: { count: { after: event.count } },
          });
        }
      });
    } catch (error) {
      this.logger.error({ err: error, events: events.length }, 'could not audit GPU events');
    }
  }
}
