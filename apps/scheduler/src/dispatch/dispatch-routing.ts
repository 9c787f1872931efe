import type { JobDispatch, JobDispatchBatch } from '@voxelfleet/contracts';

/** Queues of the shared dispatch mode: `node-dispatch.<shard>`. */
export const DISPATCH_SHARD_QUEUE = 'node-dispatch';

/**
 * A node's dispatch message on a shared queue: the relay consuming the shard hands `payload`
 * to the node named here, as the node's own queue would have.
 */
export interface RoutedDispatch {
  readonly nodeId: string;
  readonly payload: JobDispatch | JobDispatchBatch;
}

/**
 * What a pass sends one shard: the messages of every node of that shard it placed on, so a
 * pass costs a message per shard rather than per node (a relay hands each to its node).
 */
export interface RoutedDispatchBatch {
  readonly routes: readonly RoutedDispatch[];
}

/** The queue message name of a RoutedDispatchBatch. */
export const ROUTED_DISPATCH_BATCH = 'routes';

/** The shard queue of a node: FNV-1a of its id, so every scheduler instance agrees. */
export function shardQueue(nodeId: string, shards: number): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < nodeId.length; i += 1) {
    hash ^= nodeId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${DISPATCH_SHARD_QUEUE}.${hash % shards}`;
}
