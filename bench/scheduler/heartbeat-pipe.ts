import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { Redis } from 'ioredis';

/** How long heartbeats wait to share a write to Redis. */
const FLUSH_MS = 20;

/**
 * The simulated fleet's heartbeats, sent as the BullMQ transport publishes them (the
 * `{ p, h }` envelope on `<prefix>:events:node.heartbeat`) but in one pipeline every
 * FLUSH_MS. Ten thousand nodes on one thread each writing its own PUBLISH cost that thread
 * most of a core in socket writes; real nodes are separate machines and pay it separately.
 * The scheduler still receives one message per node and heartbeat.
 */
export class HeartbeatPipe {
  private readonly redis: Redis;
  private pending: string[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly channel: string;

  constructor(redisUrl: string, prefix: string) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.channel = `${prefix}:events:node.heartbeat`;
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
  }

  send(heartbeat: NodeHeartbeat): Promise<void> {
    this.pending.push(JSON.stringify({ p: heartbeat, h: {} }));
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
    const pipeline = this.redis.pipeline();
    for (const message of messages) pipeline.publish(this.channel, message);
    await pipeline.exec();
  }
}
