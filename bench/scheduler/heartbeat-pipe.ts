import type { NodeHeartbeat, NodeHeartbeatBatch } from '@voxelfleet/contracts';
import { Redis } from 'ioredis';

/** How long heartbeats wait to share a write to Redis. */
const FLUSH_MS = 20;

/**
 * The simulated fleet's heartbeats as a relay in front of its nodes would send them: every
 * FLUSH_MS, the heartbeats made since in one `node.heartbeats` message (NodeHeartbeatBatch).
 * With `batch` off, each still goes alone on `node.heartbeat`, but all of them in one
 * pipeline (one socket write): ten thousand nodes on one thread each writing its own PUBLISH
 * cost that thread most of a core, where real nodes are separate machines.
 */
export class HeartbeatPipe {
  private readonly redis: Redis;
  private pending: NodeHeartbeat[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly channel: string;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly batch: boolean,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    // The BullMQ transport's channel naming and { p, h } envelope.
    this.channel = `${prefix}:events:node.heartbeat`;
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
  }

  send(heartbeat: NodeHeartbeat): Promise<void> {
    this.pending.push(heartbeat);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.redis.quit();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const messages = this.pending;
    this.pending = [];
    if (this.batch) {
      const batch: NodeHeartbeatBatch = { heartbeats: messages };
      await this.redis.publish(`${this.prefix}:events:node.heartbeats`, JSON.stringify({ p: batch, h: {} }));
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const message of messages) pipeline.publish(this.channel, JSON.stringify({ p: message, h: {} }));
    await pipeline.exec();
  }
}
