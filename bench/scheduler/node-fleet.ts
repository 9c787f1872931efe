import { Worker } from 'node:worker_threads';
import type { NodeObservations } from './simulated-node.js';
import type { FleetCommand, FleetMessage, FleetWorkerData } from './node-fleet.worker.js';

type Command = FleetCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/** A simulated node run by the fleet thread; `kill` stops it as a SIGKILL would. */
export interface FleetNode {
  readonly nodeId: string;
  kill(): Promise<void>;
}

/** The bench's simulated nodes on their own thread (see node-fleet.worker.ts). */
export class NodeFleet {
  readonly nodes: FleetNode[];
  private next = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly worker: Worker,
    nodeIds: readonly string[],
  ) {
    this.nodes = nodeIds.map((nodeId) => ({ nodeId, kill: () => this.send({ op: 'kill', nodeId }) }));
  }

  static async start(data: FleetWorkerData, observations: NodeObservations): Promise<NodeFleet> {
    const worker = new Worker(new URL('./node-fleet.worker.js', import.meta.url), { workerData: data });
    const fleet = new NodeFleet(worker, data.nodeIds);
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: FleetMessage) => {
        if ('ready' in message) resolve();
        else if ('received' in message) {
          for (const [jobId, at] of message.received) observations.receivedAt.set(jobId, at);
        } else {
          const waiter = fleet.waiting.get(message.done);
          fleet.waiting.delete(message.done);
          if (message.error) waiter?.reject(new Error(message.error));
          else waiter?.resolve();
        }
      });
    });
    return fleet;
  }

  /** Every receipt the nodes have seen so far is in the observations once this resolves. */
  flush(): Promise<void> {
    return this.send({ op: 'flush' });
  }

  async stop(): Promise<void> {
    await this.send({ op: 'stop' });
    await this.worker.terminate();
  }

  private send(command: Command): Promise<void> {
    const id = this.next++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...command, id });
    });
  }
}
