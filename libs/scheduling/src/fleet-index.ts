import { compareStrings } from './ordering.js';
import { CapacityBuckets } from './capacity-buckets.js';
import type { DeviceCapability, DeviceSnapshot, NodeSnapshot, RunningJob } from './snapshot.types.js';

/** Fleets up to this many nodes are always scanned in full: sampling would save nothing there. */
export const SAMPLE_MIN_FLEET = 200;
/**
 * Feasible nodes a job's placement scores on a large fleet, by default. Measured on the
 * bench's mixed fleets (bench/scheduler placement-quality.ts): the share of devices left
 * fragmented stays within a point of the full scan from 32 up.
 */
export const DEFAULT_PLACEMENT_SAMPLE = 64;
/** CPU nodes are bucketed by the free share of their slots, in steps of 1/CPU_STEPS. */
export const CPU_STEPS = 64;

/** Nodes of one device make-up: the same capabilities, in the same order. */
export interface DeviceGroup {
  /** One node of the group; its devices stand for every node's in static checks. */
  readonly sample: NodeSnapshot;
  /** The largest device memory of the make-up (buckets are shares of it). */
  readonly memoryBytes: number;
  /** Ready nodes with closed breakers, by the largest free VRAM of any of their devices. */
  readonly buckets: CapacityBuckets;
}

/** A node make-up for admission's "could this ever run" check (state and load ignored). */
export interface FleetShape {
  readonly sample: NodeSnapshot;
  /** Some node of this make-up offers CPU slots. */
  readonly cpu: boolean;
}

/**
 * An index over a pass's node list so that a job's candidates are found without walking the
 * fleet: ready nodes with closed breakers ("regular" nodes) sit in buckets by free capacity
 * (GPU nodes per device make-up by their roomiest device's free share, CPU nodes by their free slot
 * share), every other ready node (a breaker open, half-open or on a device) is listed apart
 * and always looked at, and admission's static check reads one node per make-up.
 *
 * It indexes positions in the list it was built from and follows that list as a pass
 * replaces nodes in it (`replaced`). It holds no decision of its own: placement reads it to
 * choose whom to score, and checks every candidate exactly (placement-sample.ts). Built in one
 * walk over nodes and running jobs; every update after that costs O(1).
 */
export class FleetIndex {
  readonly groups = new Map<string, DeviceGroup>();
  readonly cpu: CapacityBuckets;
  /** Ready nodes that are not regular: scored for every job, as a full scan would. */
  readonly irregular: number[] = [];
  readonly shapes = new Map<string, FleetShape>();
  private readonly positions = new Map<string, number>();
  private readonly groupOf: (DeviceGroup | undefined)[];
  private readonly tenantJobs = new Map<string, number>();

  private constructor(readonly nodes: readonly NodeSnapshot[]) {
    this.cpu = new CapacityBuckets(nodes.length);
    this.groupOf = new Array<DeviceGroup | undefined>(nodes.length);
  }

  static build(nodes: readonly NodeSnapshot[], running: readonly RunningJob[], nowMs: number): FleetIndex {
    const index = new FleetIndex(nodes);
    const order = nodes.map((_, i) => i);
    // Bucket members keep id order, whatever order the list came in: the same fleet always
    // gives the same samples.
    order.sort((a, b) => compareStrings((nodes[a] as NodeSnapshot).id, (nodes[b] as NodeSnapshot).id));
    for (const position of order) index.add(position, nowMs);
    for (const job of running) index.countJob(job.tenantId, job.nodeId);
    return index;
  }

  /** Whether a job's placement may score a sample of its feasible nodes instead of all. */
  get samples(): boolean {
    return this.nodes.length > SAMPLE_MIN_FLEET;
  }

  position(nodeId: string): number | undefined {
    return this.positions.get(nodeId);
  }

  /** The pass's jobs of `tenantId` on `nodeId` (for the spread policy). */
  tenantJobsOn(tenantId: string, nodeId: string): number {
    return this.tenantJobs.get(`${tenantId}\u0000${nodeId}`) ?? 0;
  }

  /** A job now holds room on `nodeId`. */
  countJob(tenantId: string, nodeId: string): void {
    const key = `${tenantId}\u0000${nodeId}`;
    this.tenantJobs.set(key, (this.tenantJobs.get(key) ?? 0) + 1);
  }

  /** The node at `position` was replaced (a placement took room on it): re-bucket it. */
  replaced(position: number): void {
    const node = this.nodes[position] as NodeSnapshot;
    const group = this.groupOf[position];
    if (group && group.buckets.has(position)) group.buckets.put(position, gpuBucket(node, group.memoryBytes));
    if (this.cpu.has(position)) this.cpu.put(position, cpuBucket(node));
  }

  private add(position: number, nowMs: number): void {
    const node = this.nodes[position] as NodeSnapshot;
    this.positions.set(node.id, position);
    const shapeKey = `${makeUp(node.devices)}#${(node.cpuSlots?.total ?? 0) > 0 ? 'cpu' : ''}`;
    if (!this.shapes.has(shapeKey))
      this.shapes.set(shapeKey, { sample: node, cpu: (node.cpuSlots?.total ?? 0) > 0 });
    if (node.state !== 'ready') return;
    if (!isRegular(node, nowMs)) {
      this.irregular.push(position);
      return;
    }
    if (node.devices.length > 0) {
      const key = makeUp(node.devices);
      let group = this.groups.get(key);
      if (!group) {
        let memoryBytes = 0;
        for (const device of node.devices) memoryBytes = Math.max(memoryBytes, device.capability.memoryBytes);
        group = { sample: node, memoryBytes, buckets: new CapacityBuckets(this.nodes.length) };
        this.groups.set(key, group);
      }
      this.groupOf[position] = group;
      group.buckets.put(position, gpuBucket(node, group.memoryBytes));
    }
    if ((node.cpuSlots?.total ?? 0) > 0) this.cpu.put(position, cpuBucket(node));
  }
}

/**
 * A node whose breakers (its own and its devices') are absent or closed: nothing but its
 * free room sets its score, so it can wait in a bucket. `nowMs` is unused today (a closed
 * breaker stays closed); it is taken so a time-dependent rule cannot be added unnoticed.
 */
function isRegular(node: NodeSnapshot, _nowMs: number): boolean {
  if (node.breaker && node.breaker.kind !== 'closed') return false;
  for (const device of node.devices) if (device.breaker && device.breaker.kind !== 'closed') return false;
  return true;
}

/** GPU nodes are bucketed by the free share of their roomiest device, in steps of 1/GPU_STEPS. */
export const GPU_STEPS = 64;

/**
 * GPU bucket of a node of a make-up whose largest device holds `memoryBytes`: its roomiest
 * device's free VRAM as a share of that, in GPU_STEPS steps. A share, not bytes, because the
 * policies score free room as a share of the device (least-loaded prefers the largest share
 * left, bin-pack the smallest that fits): buckets by bytes sent a least-loaded sample to the
 * largest devices first and left measurably more devices fragmented
 * (bench/scheduler placement-quality.ts). Every node of a bucket above a job's own
 * (`gpuNeedBucket`) has more free VRAM than the job needs.
 */
export function gpuBucket(node: NodeSnapshot, memoryBytes: number): number {
  let most = 0;
  for (const device of node.devices) most = Math.max(most, device.freeVramBytes);
  return Math.min(GPU_STEPS, Math.floor((GPU_STEPS * most) / Math.max(1, memoryBytes)));
}

/** The bucket a job's per-device VRAM falls in, in a make-up whose largest device holds `memoryBytes`. */
export function gpuNeedBucket(vramBytes: number, memoryBytes: number): number {
  return Math.floor((GPU_STEPS * vramBytes) / Math.max(1, memoryBytes));
}

/** CPU bucket of a node: none (-1) without a free slot, else its free share in CPU_STEPS. */
export function cpuBucket(node: NodeSnapshot): number {
  const slots = node.cpuSlots;
  if (!slots || slots.free <= 0) return -1;
  return Math.min(CPU_STEPS, Math.floor((slots.free / Math.max(1, slots.total)) * CPU_STEPS));
}

/** Capability text per capability object: make-ups are compared for every node of every pass. */
const capabilityText = new WeakMap<DeviceCapability, string>();

function makeUp(devices: readonly DeviceSnapshot[]): string {
  let key = '';
  for (const device of devices) {
    let text = capabilityText.get(device.capability);
    if (text === undefined) {
      const c = device.capability;
      text = [
        c.vendor,
        c.architecture,
        c.computeCapability ? `${c.computeCapability.major}.${c.computeCapability.minor}` : '-',
        c.memoryBytes,
        [...c.precisions].sort().join('+'),
        c.tensorCores ? 'tc' : '',
      ].join('/');
      capabilityText.set(device.capability, text);
    }
    key += `${text};`;
  }
  return key;
}

/**
 * The index a pass attached to its node list, if any. Kept beside the list rather than in
 * the snapshot, so nothing that digests or copies a snapshot ever sees it.
 */
const attached = new WeakMap<readonly NodeSnapshot[], FleetIndex>();

export function fleetIndexOf(nodes: readonly NodeSnapshot[]): FleetIndex | undefined {
  return attached.get(nodes);
}

/** Builds an index over `nodes` and attaches it to that list (see `fleetIndexOf`). */
export function attachFleetIndex(
  nodes: readonly NodeSnapshot[],
  running: readonly RunningJob[],
  nowMs: number,
): FleetIndex {
  const index = FleetIndex.build(nodes, running, nowMs);
  attached.set(nodes, index);
  return index;
}
