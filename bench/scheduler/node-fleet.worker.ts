import { parentPort, workerData } from 'node:worker_threads';
import { BullMqTransport, type Consumer } from '@voxelfleet/transport';
import {
  DISPATCH_SHARD_QUEUE,
  type RoutedDispatchBatch,
} from '../../apps/scheduler/src/dispatch/dispatch-routing.js';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { createLogger } from '@voxelfleet/observability';
import { JobReporter } from '../../apps/gpu-node/src/agent/job-reporter.js';
import { HeartbeatPipe } from './heartbeat-pipe.js';
import { SimulatedNode, type NodeObservations } from './simulated-node.js';

/** What the bench's main thread asks of the node fleet thread. */
export type FleetCommand =
  { id: number; op: 'kill'; nodeId: string } | { id: number; op: 'flush' } | { id: number; op: 'stop' };

/** What the fleet thread reports: dispatch receipts (job id, epoch ms), and command completions. */
export type FleetMessage =
  { received: [string, number][] } | { done: number; error?: string } | { ready: true };

export interface FleetWorkerData {
  redisUrl: string;
  prefix: string;
  nodeIds: string[];
  /** Send dispatch receipts to the main thread (a throughput run does without them). */
  observe: boolean;
  /**
   * 0: every node consumes its own queue. N: the scheduler dispatches on N shared queues and
   * this thread relays each message to its node (SCHEDULER_DISPATCH_SHARDS).
   */
  shards: number;
  /** With shards: send the heartbeats as the relay's batches (`node.heartbeats`), not one message per node. */
  batchHeartbeats: boolean;
}

/**
 * The simulated nodes, on a thread of their own: in production nodes are other processes on
 * other machines, and sharing the scheduler's event loop would charge their queue work to it.
 */
const { redisUrl, prefix, nodeIds, observe, shards, batchHeartbeats } = workerData as FleetWorkerData;
const port = parentPort;
if (!port) throw new Error('node-fleet.worker must run as a worker thread');

/** How long the relay gathers its nodes' reports into one message. */
const RELAY_REPORT_COALESCE_MS = 5;
/** Messages a relay works on at once: a pass sends one per shard. */
const RELAY_CONCURRENCY = 64;

let pending: [string, number][] = [];
const observations: NodeObservations = {
  receivedAt: {
    set(jobId: string, at: number) {
      if (observe) pending.push([jobId, at]);
      return this;
    },
  } as NodeObservations['receivedAt'],
};
const flush = (): void => {
  if (pending.length === 0) return;
  port.postMessage({ received: pending } satisfies FleetMessage);
  pending = [];
};
const flushTimer = setInterval(flush, 20);

const transport = new BullMqTransport({ url: redisUrl, prefix });
const nodes = new Map<string, SimulatedNode>();
const relays: Consumer[] = [];
// A fleet served by relays (shared queues) also sends its heartbeats through them (heartbeat-pipe.ts).
const pipe = shards > 0 ? new HeartbeatPipe(redisUrl, prefix, batchHeartbeats) : undefined;
const send = pipe ? (heartbeat: NodeHeartbeat) => pipe.send(heartbeat) : undefined;
// Behind a relay, the nodes' reports travel through it too, coalesced across its nodes.
const relayReporter =
  shards > 0
    ? new JobReporter(transport, createLogger('gpu-node', 'silent'), { coalesceMs: RELAY_REPORT_COALESCE_MS })
    : undefined;
// Started a few hundred at a time: each first heartbeat is a round trip to Redis.
for (let i = 0; i < nodeIds.length; i += 500) {
  await Promise.all(
    nodeIds.slice(i, i + 500).map(async (nodeId) => {
      const node = new SimulatedNode(
        nodeId,
        transport,
        observations,
        undefined,
        undefined,
        send,
        relayReporter,
      );
      nodes.set(nodeId, node);
      await node.start(shards === 0);
    }),
  );
}
for (let shard = 0; shard < shards; shard += 1) {
  relays.push(
    transport.consume<RoutedDispatchBatch>(
      `${DISPATCH_SHARD_QUEUE}.${shard}`,
      async (job) => {
        await Promise.all(
          job.data.routes.map(
            (route) => nodes.get(route.nodeId)?.receive(route.payload) ?? Promise.resolve(),
          ),
        );
      },
      { concurrency: RELAY_CONCURRENCY },
    ),
  );
}
port.postMessage({ ready: true } satisfies FleetMessage);

port.on('message', (command: FleetCommand) => {
  const run = async (): Promise<void> => {
    if (command.op === 'kill') await nodes.get(command.nodeId)?.kill();
    if (command.op === 'stop') {
      for (const relay of relays) await relay.close({ force: true });
      for (const node of nodes.values()) await node.stop();
      await pipe?.close();
      clearInterval(flushTimer);
      await transport.close();
    }
    flush();
  };
  run().then(
    () => port.postMessage({ done: command.id } satisfies FleetMessage),
    (error: unknown) => port.postMessage({ done: command.id, error: String(error) } satisfies FleetMessage),
  );
});
