import { cpus, hostname, loadavg } from 'node:os';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { APP_LOGGER, METRICS_REGISTRY, TRANSPORT } from '@voxelfleet/platform';
import type { Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { GPU_NODE_SETTINGS } from './tokens.js';
import type { GpuNodeSettings } from './gpu-node.config.js';

/**
 * Tells the fleet this node is alive, every interval, with what it can offer. The last beat
 * on shutdown says "draining" so the scheduler stops placing here before the node is gone.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly sent: Counter<'outcome'>;

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(GPU_NODE_SETTINGS) private readonly settings: GpuNodeSettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.sent = new Counter({
      name: 'voxelfleet_node_heartbeats_sent_total',
      help: 'Heartbeats this node published, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    void this.beat('ready');
    this.timer = setInterval(() => void this.beat('ready'), this.settings.heartbeatIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.beat('draining');
  }

  snapshot(state: NodeHeartbeat['state']): NodeHeartbeat {
    return {
      nodeId: this.settings.nodeId,
      hostname: hostname(),
      sentAt: Date.now(),
      state,
      cpu: { cores: cpus().length, load1: loadavg()[0] ?? 0 },
      devices: [],
      runningJobs: 0,
    };
  }

  private async beat(state: NodeHeartbeat['state']): Promise<void> {
    try {
      await this.transport.publish('node.heartbeat', this.snapshot(state));
      this.sent.inc({ outcome: 'sent' });
    } catch (error) {
      this.sent.inc({ outcome: 'failed' });
      this.logger.warn({ err: error }, 'heartbeat not sent');
    }
  }
}
