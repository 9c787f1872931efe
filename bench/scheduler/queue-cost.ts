import { BullMqTransport, type Consumer } from '@voxelfleet/transport';
import { Redis } from 'ioredis';

export interface QueueCost {
  consumers: number;
  startMs: number;
  connections: number;
  /** CPU of Redis and of this process while the consumers wait for work, per second. */
  idleRedisCpuMsPerS: number;
  idleClientCpuMsPerS: number;
  /** One message to every node, from the first enqueue to the last delivery. */
  roundMs: number;
}

const IDLE_MS = 3_000;

/**
 * What the node side of dispatch costs with `nodes` nodes: one queue (and so one blocked
 * consumer, one Redis connection) per node, or `shards` shared queues whose consumers relay
 * each message to the node it names. Measured on the bench's Redis from this process.
 */
export async function queueCost(
  redisUrl: string,
  prefix: string,
  nodes: number,
  shards: number,
): Promise<QueueCost> {
  const redis = new Redis(redisUrl);
  const producer = new BullMqTransport({ url: redisUrl, prefix });
  const consumers = new BullMqTransport({ url: redisUrl, prefix });
  const open: Consumer[] = [];
  let received = 0;
  let allIn: () => void = () => undefined;
  const onMessage = (): Promise<void> => {
    received += 1;
    if (received === nodes) allIn();
    return Promise.resolve();
  };
  try {
    const clientsBefore = await clients(redis);
    const started = performance.now();
    const queues = shards === 0 ? nodes : shards;
    for (let q = 0; q < queues; q += 1)
      open.push(consumers.consume(queueName(q, shards), onMessage, { concurrency: 1 }));
    // A consumer is up once its blocking connection is: wait until Redis counts them all.
    while ((await clients(redis)) - clientsBefore < queues) await new Promise((r) => setTimeout(r, 20));
    const startMs = performance.now() - started;
    const connections = (await clients(redis)) - clientsBefore;

    const redisCpu0 = await redisCpuMs(redis);
    const client0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleRedisCpuMsPerS = ((await redisCpuMs(redis)) - redisCpu0) / (IDLE_MS / 1_000);
    const client = process.cpuUsage(client0);
    const idleClientCpuMsPerS = (client.user + client.system) / 1_000 / (IDLE_MS / 1_000);

    const delivered = new Promise<void>((resolve) => (allIn = resolve));
    const round = performance.now();
    await Promise.all(
      Array.from({ length: nodes }, (_, n) =>
        producer.enqueue(queueName(shards === 0 ? n : n % shards, shards), 'dispatch', { nodeId: `n${n}` }),
      ),
    );
    await delivered;
    return {
      consumers: queues,
      startMs,
      connections,
      idleRedisCpuMsPerS,
      idleClientCpuMsPerS,
      roundMs: performance.now() - round,
    };
  } finally {
    await Promise.all(open.map((c) => c.close({ force: true })));
    await consumers.close();
    await producer.close();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1_000 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
    await redis.quit();
  }
}

function queueName(q: number, shards: number): string {
  return shards === 0 ? `node.n${q}` : `node-dispatch.${q}`;
}

async function clients(redis: Redis): Promise<number> {
  const info = await redis.info('clients');
  return Number(/connected_clients:(\d+)/.exec(info)?.[1] ?? 0);
}

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
  return (user + sys) * 1_000;
}
