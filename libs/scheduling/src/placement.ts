import type { CapacityBlocker } from './blockers.js';
import { compareStrings } from './ordering.js';
import { eligibleDevices, nodeExclusion } from './placement-eligibility.js';
import type { NodeContext } from './placement-scoring.js';
import { candidateOn, gpuPlacement, pickBest, type Candidate } from './placement-candidates.js';
import type {
  Exclusion,
  Placement,
  PlacementFleet,
  PlacementOptions,
  PlacementResult,
} from './placement.types.js';
import { fleetIndexOf, type FleetIndex } from './fleet-index.js';
import { placeSampled } from './placement-sample.js';
import { seededDrawAfter } from './seeded-random.js';
import type { JobSpec, NodeSnapshot } from './snapshot.types.js';
import { formatBytes } from './units.js';

/**
 * Picks a node and devices for a job that passed admission: filter by state, breaker,
 * affinity, capability and free VRAM; score by policy, history, temperature and stream
 * affinity; break ties with a draw fixed by the seed. Falls back to a CPU slot when the job
 * and its edition allow it and no GPU fits.
 */
export function placeJob(job: JobSpec, fleet: PlacementFleet, options: PlacementOptions): PlacementResult {
  const index = fleetIndexOf(fleet.nodes);
  if (index) {
    const tenantJobsOn = (nodeId: string): number => index.tenantJobsOn(job.tenantId, nodeId);
    const quick = placeIndexed(job, fleet, index, options, tenantJobsOn);
    if (quick) return quick;
    return placeByScan(job, fleet, options, tenantJobsOn);
  }
  return placeByScan(job, fleet, options, tenantJobsCounter(job, fleet));
}

/**
 * A placement known from the index alone, or null to scan the fleet: a job pinned to a node
 * looks at that node only, and on a large fleet (`FleetIndex.samples`) with
 * `options.sampleSize` set, a bounded sample of feasible nodes is scored (placement-sample.ts).
 * Whatever this cannot place the full scan decides, so a job never waits while room exists.
 */
function placeIndexed(
  job: JobSpec,
  fleet: PlacementFleet,
  index: FleetIndex,
  options: PlacementOptions,
  tenantJobsOn: (nodeId: string) => number,
): PlacementResult | null {
  const pinned = job.affinity?.nodeId;
  if (pinned !== undefined) {
    const position = index.position(pinned);
    const node = position === undefined ? undefined : index.nodes[position];
    if (!node) return null;
    const alone = placeByScan(job, { ...fleet, nodes: [node] }, options, tenantJobsOn);
    return alone.ok ? alone : null;
  }
  return placeSampled(job, fleet, index, options, tenantJobsOn);
}

/** Counts the tenant's jobs per node once, and only when some node has devices to score. */
function tenantJobsCounter(job: JobSpec, fleet: PlacementFleet): (nodeId: string) => number {
  // Counted once, and only when some node has devices to score: a pass over a CPU fleet (or
  // a full one) would otherwise walk every running job for every queued one.
  let tenantJobsByNode: Map<string, number> | undefined;
  return (nodeId: string): number => {
    if (!tenantJobsByNode) {
      tenantJobsByNode = new Map<string, number>();
      for (const r of fleet.running) {
        if (r.tenantId === job.tenantId)
          tenantJobsByNode.set(r.nodeId, (tenantJobsByNode.get(r.nodeId) ?? 0) + 1);
      }
    }
    return tenantJobsByNode.get(nodeId) ?? 0;
  };
}

/** Every node looked at: the placement as the scheduler has always made it. */
function placeByScan(
  job: JobSpec,
  fleet: PlacementFleet,
  options: PlacementOptions,
  tenantJobsOn: (nodeId: string) => number,
): PlacementResult {
  const exclusions: Exclusion[] = [];
  const candidates: Candidate[] = [];
  const streamNode =
    job.affinity?.sameNodeAsStream === undefined
      ? undefined
      : fleet.streamNodes?.[job.affinity.sameNodeAsStream];

  const nodes = sortedById(fleet.nodes);
  for (const node of nodes) {
    const nodeReason = nodeExclusion(node, job, options);
    if (nodeReason) {
      exclusions.push({ nodeId: node.id, reason: nodeReason });
      continue;
    }
    // A node without devices (a CPU node) has nothing to score or exclude.
    if (node.devices.length === 0) continue;
    const context: NodeContext = {
      tenantJobsOnNode: tenantJobsOn(node.id),
      holdsAffineStream: streamNode === node.id,
    };
    const candidate = candidateOn(node, job, options, context, exclusions);
    if (candidate) candidates.push(candidate);
  }

  const best = pickBest(candidates, job, options);
  if (best) return { ok: true, placement: gpuPlacement(best, `${candidates.length} eligible`, options) };

  // Ready nodes are found again rather than collected above: the CPU path runs for every
  // job on a CPU fleet, and a list of the fleet per job was most of placement's garbage.
  const ready = (node: NodeSnapshot): boolean => nodeExclusion(node, job, options) === null;
  const cpu = options.cpuFallbackPermitted ? placeOnCpu(job, nodes, ready, streamNode, options) : null;
  if (cpu) return { ok: true, placement: cpu };
  return { ok: false, blockers: capacityBlockers(job, nodes.filter(ready), options), exclusions };
}

/** placeOnCpu's scratch: one score per node, reused from job to job (see there). */
let scores = new Float64Array(256);

export function placeOnCpu(
  job: JobSpec,
  nodes: readonly NodeSnapshot[],
  ready: (node: NodeSnapshot) => boolean,
  streamNode: string | undefined,
  options: PlacementOptions,
): Placement | null {
  // Highest score, then the lowest seeded draw, then the id. The draw is only computed for
  // nodes tied at the top score: a fleet of many equal nodes would otherwise hash every one
  // of them for every queued job. This runs for every job on a CPU fleet, so the scores go
  // into a reused typed array (no list of tied nodes, no boxed number per node).
  if (scores.length < nodes.length) scores = new Float64Array(nodes.length * 2);
  let withRoom = 0;
  let bestScore = -Infinity;
  let tied = 0;
  for (let i = 0; i < nodes.length; i += 1) {
    const node = nodes[i] as NodeSnapshot;
    const slots = node.cpuSlots;
    scores[i] = -1;
    if (!slots || slots.free <= 0 || !ready(node)) continue;
    // roundScore, written out so the score never leaves a register.
    const score =
      Math.round((slots.free / Math.max(1, slots.total) + (node.id === streamNode ? 3 : 0)) * 1e9) / 1e9;
    scores[i] = score;
    withRoom += 1;
    if (score > bestScore) {
      bestScore = score;
      tied = 1;
    } else if (score === bestScore) {
      tied += 1;
    }
  }
  let best: NodeSnapshot | undefined;
  let bestDraw = Infinity;
  const drawFor = tied > 1 ? seededDrawAfter(options.seed, 'cpu', job.id) : () => 0;
  for (let i = 0; i < nodes.length; i += 1) {
    if (scores[i] !== bestScore) continue;
    const node = nodes[i] as NodeSnapshot;
    const draw = drawFor(node.id);
    if (!best || draw < bestDraw || (draw === bestDraw && compareStrings(node.id, best.id) < 0)) {
      best = node;
      bestDraw = draw;
    }
  }
  if (!best) return null;
  return {
    target: 'cpu',
    nodeId: best.id,
    score: bestScore,
    reason: `no GPU fits; CPU fallback on the node with the most free CPU slots of ${withRoom}`,
  };
}

/** Says which capacity is missing and by how much, measured on nodes that take work now. */
function capacityBlockers(
  job: JobSpec,
  readyNodes: readonly NodeSnapshot[],
  options: PlacementOptions,
): CapacityBlocker[] {
  if (readyNodes.length === 0) {
    return [
      {
        kind: 'capacity',
        resource: 'healthy-nodes',
        needed: 1,
        available: 0,
        shortfall: 1,
        message: 'no node that could take this job is ready (all lost, draining, cordoned or broken)',
      },
    ];
  }
  const blockers: CapacityBlocker[] = [];
  const noVram = { ...job, vramBytesPerDevice: 0 };
  let bestFree = 0;
  let mostDevices = 0;
  for (const node of readyNodes) {
    const capable = eligibleDevices(node, noVram, options).devices.filter(
      (d) => d.capability.memoryBytes >= job.vramBytesPerDevice,
    );
    for (const device of capable) bestFree = Math.max(bestFree, device.freeVramBytes);
    mostDevices = Math.max(
      mostDevices,
      capable.filter((d) => d.freeVramBytes >= job.vramBytesPerDevice).length,
    );
  }
  if (bestFree < job.vramBytesPerDevice) {
    blockers.push({
      kind: 'capacity',
      resource: 'device-vram',
      needed: job.vramBytesPerDevice,
      available: bestFree,
      shortfall: job.vramBytesPerDevice - bestFree,
      message: `needs ${formatBytes(job.vramBytesPerDevice)} free on a matching device; the most free is ${formatBytes(bestFree)} (short by ${formatBytes(job.vramBytesPerDevice - bestFree)})`,
    });
  } else if (mostDevices < job.gpus) {
    blockers.push({
      kind: 'capacity',
      resource: 'devices-on-node',
      needed: job.gpus,
      available: mostDevices,
      shortfall: job.gpus - mostDevices,
      message: `needs ${job.gpus} matching devices with ${formatBytes(job.vramBytesPerDevice)} free on one node; at most ${mostDevices} are`,
    });
  }
  if (options.cpuFallbackPermitted) {
    blockers.push({
      kind: 'capacity',
      resource: 'cpu-slots',
      needed: 1,
      available: 0,
      shortfall: 1,
      message: 'CPU fallback is allowed but no ready node has a free CPU slot',
    });
  }
  return blockers;
}

/** Snapshots usually list nodes in id order already; then there is nothing to copy or sort. */
function sortedById(nodes: readonly NodeSnapshot[]): readonly NodeSnapshot[] {
  for (let i = 1; i < nodes.length; i += 1) {
    if (compareStrings((nodes[i - 1] as NodeSnapshot).id, (nodes[i] as NodeSnapshot).id) > 0) {
      return [...nodes].sort((a, b) => compareStrings(a.id, b.id));
    }
  }
  return nodes;
}
