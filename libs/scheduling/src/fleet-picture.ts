import type { HeartbeatDevice, NodeHeartbeat } from '@voxelfleet/contracts';
import type { BreakerState } from './circuit-breaker.types.js';
import { resolveNodeState, type AdminNodeState } from './node-liveness.js';
import type {
  DeviceSnapshot,
  NodeSnapshot,
  NodeState,
  PerformanceHistory,
  RunningJob,
} from './snapshot.types.js';

/**
 * The fleet as placement sees it, built from what the nodes report and what the operators
 * set. The scheduler's passes and the gateway's simulate and submission checks all build it
 * here, so a dry run and a real pass judge the same nodes, devices and room.
 */

/** What is known about one node: its latest heartbeat (if any) and the operator's say. */
export interface NodeReport {
  readonly nodeId: string;
  /** Absent for a node known only from an operator's control: it is lost and offers nothing. */
  readonly heartbeat?: NodeHeartbeat;
  /** When the heartbeat arrived, on the receiver's clock (node clocks are not trusted). */
  readonly receivedAtMs?: number;
  /** The operator's state (node_controls); absent means none was ever set. */
  readonly control?: AdminNodeState;
  readonly breaker?: BreakerState;
}

export interface FleetPictureInputs {
  /** Every known node; in id order is cheapest (the picture is in id order either way). */
  readonly reports: readonly NodeReport[];
  /** Placed and running jobs: they hold their room until they end or are stopped. */
  readonly running: readonly RunningJob[];
  readonly nowMs: number;
  /** Silence after which a node is lost (NODE_LOST_AFTER_MS). */
  readonly lostAfterMs: number;
  /** The latest heartbeat of any node (see `isSilent`). */
  readonly freshestMs?: number;
  readonly performanceOf?: (nodeId: string) => PerformanceHistory | undefined;
  /** Keeps each node's snapshot while nothing it was built from changed (large fleets). */
  readonly memo?: NodeSnapshotMemo;
}

/** What a node's snapshot depends on, for a cache that hands an unchanged one out again. */
export interface NodeSnapshotMemo {
  of(
    report: NodeReport,
    state: NodeState,
    jobs: readonly RunningJob[],
    performance: PerformanceHistory | undefined,
    build: () => NodeSnapshot,
  ): NodeSnapshot;
}

const NO_JOBS: readonly RunningJob[] = Object.freeze([]);

/** The one fleet picture: every node as placement sees it, in id order. */
export function fleetPicture(inputs: FleetPictureInputs): NodeSnapshot[] {
  // Grouped once: filtering the whole running list for each node would be nodes × jobs.
  const byNode = new Map<string, RunningJob[]>();
  for (const job of inputs.running) {
    const jobs = byNode.get(job.nodeId);
    if (jobs) jobs.push(job);
    else byNode.set(job.nodeId, [job]);
  }
  const reports = inIdOrder(inputs.reports);
  const out: NodeSnapshot[] = [];
  for (const report of reports) {
    const state = nodeStateOf(report, inputs.nowMs, inputs.lostAfterMs, inputs.freshestMs);
    const jobs = byNode.get(report.nodeId) ?? NO_JOBS;
    const performance = inputs.performanceOf?.(report.nodeId);
    const build = () => nodeSnapshotOf(report, state, jobs, performance);
    out.push(inputs.memo ? inputs.memo.of(report, state, jobs, performance, build) : build());
  }
  return out;
}

/** A cordon or drain by the operator wins; otherwise a node that says it is draining is draining. */
export function adminStateOf(
  control: AdminNodeState | undefined,
  reported: NodeHeartbeat['state'] | undefined,
): AdminNodeState {
  if (control !== undefined && control !== 'ready') return control;
  return reported === 'draining' ? 'draining' : 'ready';
}

/** Liveness first (a silent node is lost whatever else is true), then the admin state. */
export function nodeStateOf(
  report: NodeReport,
  nowMs: number,
  lostAfterMs: number,
  freshestMs?: number,
): NodeState {
  if (report.heartbeat === undefined || report.receivedAtMs === undefined) return 'lost';
  return resolveNodeState(
    adminStateOf(report.control, report.heartbeat.state),
    report.receivedAtMs,
    nowMs,
    lostAfterMs,
    freshestMs,
  );
}

/** A device's id within its node, as placements and `jobs.device_ids` name it. */
export function deviceIdOf(index: number): string {
  return String(index);
}

/**
 * One node's snapshot. A device is offered when it is healthy and says what it is (a device
 * without a capability profile cannot be matched against a device class or a grant). CPU
 * slots are the node's total (its core count when it names none) less the CPU-path jobs
 * placed there: only placed jobs take slots, and a heartbeat lags behind both placements and
 * finishes.
 */
export function nodeSnapshotOf(
  report: NodeReport,
  state: NodeState,
  jobs: readonly RunningJob[],
  performance?: PerformanceHistory,
): NodeSnapshot {
  const heartbeat = report.heartbeat;
  const onNode = jobs.filter((job) => job.nodeId === report.nodeId);
  const devices = (heartbeat?.devices ?? [])
    .filter((device) => device.healthy !== false && device.capability !== undefined)
    .map((device) => deviceSnapshotOf(device, onNode));
  let cpuSlots: NodeSnapshot['cpuSlots'];
  if (heartbeat) {
    const total = heartbeat.cpu.slots?.total ?? heartbeat.cpu.cores;
    const cpuJobs = onNode.filter((job) => job.deviceIds.length === 0).length;
    cpuSlots = { total, free: Math.max(0, total - cpuJobs) };
  }
  return {
    id: report.nodeId,
    state,
    devices,
    ...(cpuSlots ? { cpuSlots } : {}),
    ...(report.breaker ? { breaker: report.breaker } : {}),
    ...(performance ? { performance } : {}),
  };
}

/**
 * Free VRAM is the smaller of what the node reports free (its pool's free room, and the
 * device's own free memory: memory held outside any job, such as a stopped job's not yet
 * released, is not there to give) and the pool's capacity less what placed and running jobs
 * reserved (a placement the node has not allocated yet still holds its room).
 */
function deviceSnapshotOf(device: HeartbeatDevice, onNode: readonly RunningJob[]): DeviceSnapshot {
  const id = deviceIdOf(device.index);
  const capability = device.capability;
  const capacity = device.pool?.capacityBytes ?? device.memoryTotalBytes;
  const reported = device.pool
    ? Math.min(device.memoryFreeBytes, device.pool.capacityBytes - device.pool.allocatedBytes)
    : device.memoryFreeBytes;
  let reserved = 0;
  for (const job of onNode) if (job.deviceIds.includes(id)) reserved += job.vramBytesPerDevice;
  return {
    id,
    capability: {
      vendor: capability?.vendor ?? 'unknown',
      architecture: capability?.architecture ?? 'unknown',
      ...(capability?.computeCapability ? { computeCapability: capability.computeCapability } : {}),
      memoryBytes: device.memoryTotalBytes,
      precisions: [...(capability?.precisions ?? [])],
      tensorCores: capability?.tensorCores ?? false,
    },
    freeVramBytes: Math.max(0, Math.min(reported, capacity - reserved)),
    utilization: device.telemetry?.utilization ?? 0,
    temperatureC: device.telemetry?.temperatureC ?? 0,
    throttling: device.telemetry?.throttling ?? false,
  };
}

function inIdOrder(reports: readonly NodeReport[]): readonly NodeReport[] {
  for (let i = 1; i < reports.length; i += 1) {
    if ((reports[i - 1] as NodeReport).nodeId > (reports[i] as NodeReport).nodeId) {
      return [...reports].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
    }
  }
  return reports;
}
