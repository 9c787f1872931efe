/** One device as a node reports it. Telemetry fields are null where the device cannot say. */
export interface HeartbeatDevice {
  index: number;
  uuid: string;
  name: string;
  memoryTotalBytes: number;
  memoryFreeBytes: number;
  /** Capability profile that jobs and grants name in device classes (`sm_90+,vram>=40GiB`). */
  capability?: {
    vendor: string;
    architecture: string;
    computeCapability?: { major: number; minor: number };
    precisions: Array<'fp64' | 'fp32' | 'tf32' | 'fp16' | 'bf16' | 'fp8' | 'int8'>;
    tensorCores: boolean;
  };
  telemetry?: {
    /** 0..1 */
    utilization: number | null;
    temperatureC: number | null;
    powerW: number | null;
    smClockMhz: number | null;
    throttling: boolean;
    xidErrors: number;
  };
  /** The node's VRAM pool on this device, bytes. */
  pool?: {
    capacityBytes: number;
    allocatedBytes: number;
    peakBytes: number;
    largestFreeBlockBytes: number;
    byTenant: Record<string, number>;
    allocations: number;
    allocationFailures: number;
    softOoms: number;
    hardOoms: number;
  };
  /** False once the device failed (lost, XID); the node takes it out alone. */
  healthy?: boolean;
}

/** What a gpu-node reports every second. Devices are empty on a CPU-only node. */
export interface NodeHeartbeat {
  nodeId: string;
  hostname: string;
  /** Milliseconds since the epoch on the node's clock. */
  sentAt: number;
  state: 'ready' | 'draining';
  cpu: {
    cores: number;
    load1: number;
    /** Concurrent CPU-path jobs the node accepts, and how many are free. */
    slots?: { total: number; free: number };
  };
  devices: HeartbeatDevice[];
  runningJobs: number;
  /** Ids of the jobs running now, so the scheduler can reconcile after a restart. */
  runningJobIds?: string[];
  /** CPU fallbacks since the node started. */
  fallbacks?: number;
}

/** An operator changed a node's admin state at the gateway (persisted in `node_controls`). */
export interface NodeControl {
  nodeId: string;
  state: 'cordoned' | 'draining' | 'ready';
  reason?: string;
  at: number;
}

/** New jobs are in the table (gateway, workflows): the scheduler leader runs a pass now. */
export interface JobsSubmitted {
  count: number;
  at: number;
}

/**
 * The heartbeats of many nodes in one message, sent by a relay in front of a group of nodes
 * (a rack agent, the bench's simulated fleet). Each is handled as if it had come alone on
 * `node.heartbeat`; at thousands of nodes, a message per node and second is most of what the
 * scheduler reads.
 */
export interface NodeHeartbeatBatch {
  heartbeats: NodeHeartbeat[];
}

/**
 * Every pub/sub channel and its payload. The transport's publish/subscribe are typed by this
 * map, so a misspelt channel or a wrong payload is a compile error.
 */
export interface TransportEvents {
  'node.heartbeat': NodeHeartbeat;
  'node.heartbeats': NodeHeartbeatBatch;
  'node.control': NodeControl;
  'jobs.submitted': JobsSubmitted;
}

export type TransportEventName = keyof TransportEvents;
