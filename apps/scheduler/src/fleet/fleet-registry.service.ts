import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { METRICS_REGISTRY, TRANSPORT } from '@voxelfleet/platform';
import type { Transport, Unsubscribe } from '@voxelfleet/transport';
import { Counter, Gauge, type Registry } from 'prom-client';
import { SCHEDULER_SETTINGS } from '../tokens.js';
import type { SchedulerSettings } from '../scheduler.config.js';
import { livenessOf, type FleetNodeView, type NodeLiveness } from './node-liveness.js';

interface NodeRecord {
  heartbeat: NodeHeartbeat;
  receivedAt: number;
}

/** The scheduler's live view of the fleet, fed by node heartbeats. */
@Injectable()
export class FleetRegistryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly nodes = new Map<string, NodeRecord>();
  private unsubscribe?: Unsubscribe;
  private readonly received: Counter;

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.received = new Counter({
      name: 'voxelfleet_node_heartbeats_received_total',
      help: 'Node heartbeats received by the scheduler',
      registers: [registry],
    });
    const countByState = (): Record<NodeLiveness, number> => {
      const counts: Record<NodeLiveness, number> = { ready: 0, draining: 0, lost: 0 };
      for (const node of this.list()) counts[node.state] += 1;
      return counts;
    };
    new Gauge({
      name: 'voxelfleet_fleet_nodes',
      help: 'Known nodes by liveness state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        for (const [state, count] of Object.entries(countByState())) this.set({ state }, count);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.transport.subscribe('node.heartbeat', (heartbeat) =>
      this.record(heartbeat),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.unsubscribe?.();
  }

  record(heartbeat: NodeHeartbeat, receivedAt = Date.now()): void {
    this.received.inc();
    this.nodes.set(heartbeat.nodeId, { heartbeat, receivedAt });
  }

  list(now = Date.now()): FleetNodeView[] {
    return [...this.nodes.values()]
      .map(({ heartbeat, receivedAt }) => ({
        nodeId: heartbeat.nodeId,
        hostname: heartbeat.hostname,
        state: livenessOf(heartbeat.state, receivedAt, now, this.settings.nodeLostAfterMs),
        lastHeartbeatAt: new Date(receivedAt).toISOString(),
        cpu: heartbeat.cpu,
        devices: heartbeat.devices,
        runningJobs: heartbeat.runningJobs,
      }))
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  }
}
