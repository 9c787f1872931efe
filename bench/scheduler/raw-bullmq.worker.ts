import { parentPort, workerData } from 'node:worker_threads';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

/** The raw baseline's consumer, on its own thread as the scheduler bench's nodes are. */
const { redisUrl, prefix, jobs } = workerData as { redisUrl: string; prefix: string; jobs: number };
const port = parentPort;
if (!port) throw new Error('raw-bullmq.worker must run as a worker thread');

const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
let done = 0;
const worker = new Worker(
  'raw',
  () => {
    done += 1;
    if (done === jobs) port.postMessage('finished');
    return Promise.resolve(null);
  },
  { connection, prefix, concurrency: 256 },
);
await worker.waitUntilReady();
port.postMessage('ready');
port.on('message', () => {
  void worker
    .close()
    .then(() => connection.quit())
    .then(() => port.postMessage('closed'));
});
