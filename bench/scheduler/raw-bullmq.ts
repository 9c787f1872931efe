import { Worker } from 'node:worker_threads';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * The baseline: BullMQ alone on the same Redis, a producer adding no-op jobs in bulk and one
 * worker (on its own thread, as the scheduler bench's nodes are) completing them, as fast as
 * they go. Jobs/s from first add to last completion.
 */
export async function rawBullmq(redisUrl: string, prefix: string, jobs: number): Promise<number> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('raw', { connection, prefix });
  const consumer = new Worker(new URL('./raw-bullmq.worker.js', import.meta.url), {
    workerData: { redisUrl, prefix, jobs },
  });
  const next = (expected: string) =>
    new Promise<void>((resolve, reject) => {
      consumer.once('error', reject);
      consumer.once('message', (message) =>
        message === expected ? resolve() : reject(new Error(String(message))),
      );
    });
  await next('ready');
  const finished = next('finished');
  const started = performance.now();
  for (let i = 0; i < jobs; i += 500) {
    const count = Math.min(500, jobs - i);
    await queue.addBulk(
      Array.from({ length: count }, (_, j) => ({
        name: 'noop',
        data: { i: i + j },
        opts: { removeOnComplete: { count: 1_000 }, removeOnFail: { count: 1_000 } },
      })),
    );
  }
  await finished;
  const elapsed = (performance.now() - started) / 1000;
  const closed = next('closed');
  consumer.postMessage('close');
  await closed;
  await consumer.terminate();
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
  return jobs / elapsed;
}
