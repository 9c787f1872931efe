import { cpus, hostname, loadavg } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { APP_LOGGER, METRICS_REGISTRY, TRANSPORT } from '@voxelfleet/platform';
import type { Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { NodeAgent } from './agent/node-agent.js';
import type { GpuNodeSettings } from './gpu-node.config.js';
import { GPU_NODE_SETTINGS, NODE_AGENT } from './tokens.js';

/**
 * Tells the fleet this node is alive, every interval, with what it can offer: devices with
 * telemetry, capability and pool state, CPU slots, the jobs it holds. While the node drains
 * the beats say "draining", so the scheduler stops placing here before the node is gone.
 */
@Injectable()
export class HeartbeatService {
  private timer?: NodeJS.Timeout;
  private state: NodeHeartbeat['state'] = 'ready';
  private readonly sent: Counter<'outcome'>;

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(GPU_NODE_SETTINGS) private readonly settings: GpuNodeSettings,
    @Inject(NODE_AGENT) private readonly agent: NodeAgent,
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

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.settings.heartbeatIntervalMs);
  }

  /** Switches to draining and says so at once. */
  async draining(): Promise<void> {
    this.state = 'draining';
    await this.beat();
  }

  /** Stops the beats after one last one. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beat();
  }

  snapshot(): NodeHeartbeat {
    const { agent } = this;
    agent.sampleDevices();
    const total = agent.tuning.cpuSlots;
    return {
      nodeId: this.settings.nodeId,
      hostname: hostname(),
      sentAt: Date.now(),
      state: this.state,
      cpu: {
        cores: cpus().length,
        load1: loadavg()[0] ?? 0,
        slots: { total, free: Math.max(0, total - agent.executor.cpuRunning) },
      },
      devices: agent.devices.devices.map((d) => d.heartbeat()),
      runningJobs: agent.executor.accepted.size,
      runningJobIds: [...agent.executor.accepted.values()],
      fallbacks: agent.executor.fallbacks,
    };
  }

  private async beat(): Promise<void> {
    try {
      await this.transport.publish('node.heartbeat', this.snapshot());
      this.sent.inc({ outcome: 'sent' });
    } catch (error) {
      this.sent.inc({ outcome: 'failed' });
      this.logger.warn({ err: error }, 'heartbeat not sent');
    }
  }
}
