import { parentPort, workerData } from 'node:worker_threads';
import { BullMqTransport } from '@voxelfleet/transport';
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
}

/**
 * The simulated nodes, on a thread of their own: in production nodes are other processes on
 * other machines, and sharing the scheduler's event loop would charge their queue work to it.
 */
const { redisUrl, prefix, nodeIds, observe } = workerData as FleetWorkerData;
const port = parentPort;
if (!port) throw new Error('node-fleet.worker must run as a worker thread');

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
for (const nodeId of nodeIds) {
  const node = new SimulatedNode(nodeId, transport, observations);
  await node.start();
  nodes.set(nodeId, node);
}
port.postMessage({ ready: true } satisfies FleetMessage);

port.on('message', (command: FleetCommand) => {
  const run = async (): Promise<void> => {
    if (command.op === 'kill') await nodes.get(command.nodeId)?.kill();
    if (command.op === 'stop') {
      for (const node of nodes.values()) await node.stop();
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
