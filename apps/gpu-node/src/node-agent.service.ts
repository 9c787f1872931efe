import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { dispatchesIn, nodeControlQueue, nodeQueue } from '@voxelfleet/contracts';
import { APP_LOGGER, TRANSPORT } from '@voxelfleet/platform';
import type { Consumer, Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import type { NodeAgent } from './agent/node-agent.js';
import { checkStop } from './agent/run-control.js';
import { HeartbeatService } from './heartbeat.service.js';
import { NODE_AGENT } from './tokens.js';

/**
 * The agent's life: once the app is ready it beats and consumes its own queue; on shutdown
 * it drains (no new jobs, waiting ones handed back as `node-draining`, running ones
 * finished) while the beats say "draining", then stops.
 */
@Injectable()
export class NodeAgentService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: Consumer;
  private controlConsumer?: Consumer;
  private adaptTimer?: NodeJS.Timeout;

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(NODE_AGENT) private readonly agent: NodeAgent,
    private readonly heartbeat: HeartbeatService,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const { agent } = this;
    this.heartbeat.start();
    // Jobs beyond the current limit wait inside the node, where their wait is measured and
    // tiny ones of one tenant can be batched; the gate decides how many run. A message is a
    // single dispatch or a pass's batch; it is acknowledged once all its jobs have ended.
    this.consumer = this.transport.consume(
      nodeQueue(agent.nodeId),
      async (job) => {
        const deliveredAt = Date.now();
        await Promise.all(
          dispatchesIn(job.data).map((dispatch) => agent.executor.handle(dispatch, deliveredAt)),
        );
      },
      { concurrency: agent.tuning.maxConcurrentJobs * 2 },
    );
    // Stops come on a queue of their own: one never waits behind dispatches for a slot.
    this.controlConsumer = this.transport.consume(
      nodeControlQueue(agent.nodeId),
      async (job) => {
        const stop = checkStop(job.data);
        if (stop) await agent.executor.stop(stop);
        else this.logger.warn({ message: job.name }, 'malformed control message; ignored');
      },
      { concurrency: 16 },
    );
    this.adaptTimer = setInterval(() => agent.adjustConcurrency(), agent.tuning.concurrencyIntervalMs);
    this.logger.info(
      {
        nodeId: agent.nodeId,
        queue: nodeQueue(agent.nodeId),
        devices: agent.devices.devices.map((d) => d.dev.info.name),
        noDeviceReason: agent.devices.discovery.reason,
        cpuSlots: agent.tuning.cpuSlots,
      },
      'node agent consuming its queue',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.adaptTimer);
    this.agent.executor.drain();
    await this.heartbeat.draining();
    const running = this.agent.executor.accepted.size;
    if (running) this.logger.info({ running }, 'draining: finishing running jobs');
    await this.consumer?.close();
    await this.controlConsumer?.close();
    await this.agent.cpu.close();
    await this.heartbeat.stop();
  }
}
