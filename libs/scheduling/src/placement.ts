import type { CapacityBlocker } from './blockers.js';
import { compareNumbers, compareStrings } from './ordering.js';
import { eligibleDevices, nodeExclusion } from './placement-eligibility.js';
import { isThermallyAvoided, scoreDevice, type NodeContext } from './placement-scoring.js';
import type {
  Exclusion,
  Placement,
  PlacementFleet,
  PlacementOptions,
  PlacementResult,
} from './placement.types.js';
import { seededDrawAfter, seededUnitsAfter } from './seeded-random.js';
import type { DeviceSnapshot, JobSpec, NodeSnapshot } from './snapshot.types.js';
import { formatBytes } from './units.js';

interface Candidate {
  readonly node: NodeSnapshot;
  readonly devices: readonly DeviceSnapshot[];
  readonly score: number;
}

/**
 * Picks a node and devices for a job that passed admission: filter by state, breaker,
 * affinity, capability and free VRAM; score by policy, history, temperature and stream
 * affinity; break ties with a draw fixed by the seed. Falls back to a CPU slot when the job
 * and its edition allow it and no GPU fits.
 */
export function placeJob(job: JobSpec, fleet: PlacementFleet, options: PlacementOptions): PlacementResult {
  const exclusions: Exclusion[] = [];
  const candidates: Candidate[] = [];
  const streamNode =
    job.affinity?.sameNodeAsStream === undefined
      ? undefined
      : fleet.streamNodes?.[job.affinity.sameNodeAsStream];

  // Counted once, and only when some node has devices to score: a pass over a CPU fleet (or
  // a full one) would otherwise walk every running job for every queued one.
  let tenantJobsByNode: Map<string, number> | undefined;
  const tenantJobsOn = (nodeId: string): number => {
    if (!tenantJobsByNode) {
      tenantJobsByNode = new Map<string, number>();
      for (const r of fleet.running) {
        if (r.tenantId === job.tenantId)
          tenantJobsByNode.set(r.nodeId, (tenantJobsByNode.get(r.nodeId) ?? 0) + 1);
      }
    }
    return tenantJobsByNode.get(nodeId) ?? 0;
  };

  const nodes = sortedById(fleet.nodes);
  for (const node of nodes) {
    const nodeReason = nodeExclusion(node, job, options);
    if (nodeReason) {
      exclusions.push({ nodeId: node.id, reason: nodeReason });
      continue;
    }
    // A node without devices (a CPU node) has nothing to score or exclude.
    if (node.devices.length === 0) continue;
    const eligible = eligibleDevices(node, job, options);
    exclusions.push(...eligible.exclusions);
    if (eligible.devices.length < job.gpus) continue;
    const context: NodeContext = {
      tenantJobsOnNode: tenantJobsOn(node.id),
      holdsAffineStream: streamNode === node.id,
    };
    const scored = eligible.devices
      .map((device) => ({ device, score: scoreDevice(device, node, job, context, options) }))
      .sort((a, b) => compareNumbers(b.score, a.score) || compareStrings(a.device.id, b.device.id));
    const chosen = scored.slice(0, job.gpus);
    const score = roundScore(chosen.reduce((sum, s) => sum + s.score, 0) / chosen.length);
    candidates.push({ node, devices: chosen.map((s) => s.device), score });
  }

  const best = pickBest(candidates, job, options);
  if (best) return { ok: true, placement: gpuPlacement(best, candidates.length, options) };

  // Ready nodes are found again rather than collected above: the CPU path runs for every
  // job on a CPU fleet, and a list of the fleet per job was most of placement's garbage.
  const ready = (node: NodeSnapshot): boolean => nodeExclusion(node, job, options) === null;
  const cpu = options.cpuFallbackPermitted ? placeOnCpu(job, nodes, ready, streamNode, options) : null;
  if (cpu) return { ok: true, placement: cpu };
  return { ok: false, blockers: capacityBlockers(job, nodes.filter(ready), options), exclusions };
}

/** Highest score wins; only on an exact tie is the seeded draw computed. */
function pickBest(
  candidates: readonly Candidate[],
  job: JobSpec,
  options: PlacementOptions,
): Candidate | undefined {
  let top: Candidate[] = [];
  for (const candidate of candidates) {
    const leader = top[0];
    if (!leader || candidate.score > leader.score) top = [candidate];
    else if (candidate.score === leader.score) top.push(candidate);
  }
  if (top.length <= 1) return top[0];
  const drawFor = seededUnitsAfter(options.seed, 'place', job.id);
  const draw = (c: Candidate): number => drawFor(c.node.id, ...c.devices.map((d) => d.id));
  return top
    .map((candidate) => ({ candidate, tie: draw(candidate) }))
    .sort(
      (a, b) => compareNumbers(a.tie, b.tie) || compareStrings(a.candidate.node.id, b.candidate.node.id),
    )[0]?.candidate;
}

function gpuPlacement(best: Candidate, candidateCount: number, options: PlacementOptions): Placement {
  const hot = best.devices.filter((d) => isThermallyAvoided(d, options)).map((d) => d.id);
  const hotNote = hot.length > 0 ? `; only hot or throttling devices were left (${hot.join(', ')})` : '';
  return {
    target: 'gpu',
    nodeId: best.node.id,
    deviceIds: best.devices.map((d) => d.id),
    score: best.score,
    reason: `best ${options.policy} score ${best.score.toFixed(3)} of ${candidateCount} eligible node(s)${hotNote}`,
  };
}

/** placeOnCpu's scratch: one score per node, reused from job to job (see there). */
let scores = new Float64Array(256);

function placeOnCpu(
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

/** Scores are rounded so float noise cannot decide between equal devices; the seed does. */
function roundScore(score: number): number {
  return Math.round(score * 1e9) / 1e9;
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
