/** What a gpu-node reports every second. Devices are empty on a CPU-only node. */
export interface NodeHeartbeat {
  nodeId: string;
  hostname: string;
  /** Milliseconds since the epoch on the node's clock. */
  sentAt: number;
  state: 'ready' | 'draining';
  cpu: { cores: number; load1: number };
  devices: Array<{
    index: number;
    uuid: string;
    name: string;
    memoryTotalBytes: number;
    memoryFreeBytes: number;
  }>;
  runningJobs: number;
}

/**
 * Every pub/sub channel and its payload. The transport's publish/subscribe are typed by this
 * map, so a misspelt channel or a wrong payload is a compile error.
 */
export interface TransportEvents {
  'node.heartbeat': NodeHeartbeat;
}

export type TransportEventName = keyof TransportEvents;
