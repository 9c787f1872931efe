import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * The baseline: BullMQ alone on the same Redis, a producer adding no-op jobs in bulk and one
 * worker completing them, as fast as they go. Jobs/s from first add to last completion.
 */
export async function rawBullmq(redisUrl: string, prefix: string, jobs: number): Promise<number> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('raw', { connection, prefix });
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const worker = new Worker(
    'raw',
    () => {
      done += 1;
      if (done === jobs) finish();
      return Promise.resolve(null);
    },
    { connection, prefix, concurrency: 256 },
  );
  await worker.waitUntilReady();
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
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
  return jobs / elapsed;
}
