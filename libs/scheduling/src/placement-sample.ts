import { staticMismatch } from './device-eligibility.js';
import { CPU_STEPS, GPU_STEPS, gpuNeedBucket, type DeviceGroup, type FleetIndex } from './fleet-index.js';
import { compareStrings } from './ordering.js';
import { nodeExclusion } from './placement-eligibility.js';
import { candidateOn, gpuPlacement, pickBest, type Candidate } from './placement-candidates.js';
import { isThermallyAvoided } from './placement-scoring.js';
import type { PlacementFleet, PlacementOptions, PlacementResult } from './placement.types.js';
import { seededDrawAfter } from './seeded-random.js';
import type { JobSpec, NodeSnapshot } from './snapshot.types.js';

/** Members looked at in one bucket before moving on, per wanted candidate. */
const TRIES_PER_CANDIDATE = 2;

/**
 * Placement on a large fleet from a bounded sample, as kube-scheduler scores a share of its
 * nodes: up to `options.sampleSize` feasible nodes drawn from the index's buckets, plus every
 * irregular ready node (open, half-open or device breakers) and the node holding the job's
 * stream, each checked and scored exactly as the full scan would. The buckets are walked in
 * the order the policy prefers (bin-pack from the tightest fit up, the other policies from the
 * most free room down), and within a bucket from a point drawn from the seed and the job, so a
 * replay picks the same sample.
 *
 * Returns null where only the full scan can answer: no sample size or a small fleet, a sample
 * in which nothing fitted although the index says something might, a best candidate that is
 * hot (a cool device elsewhere must win), or nothing placeable (the scan names the blockers).
 */
export function placeSampled(
  job: JobSpec,
  fleet: PlacementFleet,
  index: FleetIndex,
  options: PlacementOptions,
  tenantJobsOn: (nodeId: string) => number,
): PlacementResult | null {
  const size = options.sampleSize ?? 0;
  if (size <= 0 || !index.samples) return null;
  const streamNode =
    job.affinity?.sameNodeAsStream === undefined
      ? undefined
      : fleet.streamNodes?.[job.affinity.sameNodeAsStream];
  const streamPosition = streamNode === undefined ? undefined : index.position(streamNode);
  const extra = streamPosition === undefined ? index.irregular : [...index.irregular, streamPosition];
  const draw = seededDrawAfter(options.seed, 'sample', job.id);

  const fitting = [...index.groups.values()].filter((group) => groupFits(group, job, options));
  const need = fitting.map((group) => gpuNeedBucket(job.vramBytesPerDevice, group.memoryBytes));
  let potential = 0;
  fitting.forEach((group, g) => (potential += group.buckets.countFrom(need[g] as number)));
  if (potential > 0 || extra.some((p) => (index.nodes[p] as NodeSnapshot).devices.length > 0)) {
    const candidates: Candidate[] = [];
    const seen = new Set<number>();
    const consider = (position: number): boolean => {
      if (seen.has(position)) return false;
      seen.add(position);
      const node = index.nodes[position] as NodeSnapshot;
      if (node.devices.length === 0 || nodeExclusion(node, job, options) !== null) return false;
      const candidate = candidateOn(node, job, options, {
        tenantJobsOnNode: tenantJobsOn(node.id),
        holdsAffineStream: streamNode === node.id,
      });
      if (candidate) candidates.push(candidate);
      return candidate !== null;
    };
    let found = 0;
    for (const bucket of bucketOrder(options)) {
      for (let g = 0; g < fitting.length && found < size; g += 1) {
        if (bucket < (need[g] as number)) continue;
        const members = (fitting[g] as DeviceGroup).buckets.bucket(bucket);
        found += drawFrom(members, size - found, draw, `g${g}.${bucket}`, consider);
      }
      if (found >= size) break;
    }
    for (const position of extra) consider(position);
    const best = pickBest(candidates, job, options);
    if (!best) return potential > 0 ? null : placeCpuSampled(job, index, options, extra, streamNode, draw);
    if (best.devices.some((device) => isThermallyAvoided(device, options))) return null;
    return { ok: true, placement: gpuPlacement(best, `${candidates.length} sampled`, options) };
  }
  return placeCpuSampled(job, index, options, extra, streamNode, draw);
}

/** Whether a node of the group has enough devices that could ever take one share of the job. */
function groupFits(group: DeviceGroup, job: JobSpec, options: PlacementOptions): boolean {
  let matching = 0;
  for (const device of group.sample.devices) {
    if (staticMismatch(device, job, options.deviceClass) === null) matching += 1;
  }
  return matching >= job.gpus;
}

/** GPU buckets in the order the policy prefers them (each group skips those below its job's need). */
function bucketOrder(options: PlacementOptions): readonly number[] {
  return options.policy === 'bin-pack' ? ASCENDING : DESCENDING;
}

const ASCENDING = Array.from({ length: GPU_STEPS + 1 }, (_, b) => b);
const DESCENDING = [...ASCENDING].reverse();

/**
 * Up to `wanted` members of a bucket that `consider` accepts, starting at a drawn member and
 * going round; gives up after TRIES_PER_CANDIDATE members per wanted one. Returns how many
 * were accepted.
 */
function drawFrom(
  members: readonly number[],
  wanted: number,
  draw: (key: string) => number,
  key: string,
  consider: (position: number) => boolean,
): number {
  const count = members.length;
  if (count === 0 || wanted <= 0) return 0;
  const start = Math.floor(draw(key) * count);
  const tries = Math.min(count, wanted * TRIES_PER_CANDIDATE);
  let accepted = 0;
  for (let i = 0; i < tries && accepted < wanted; i += 1) {
    if (consider(members[(start + i) % count] as number)) accepted += 1;
  }
  return accepted;
}

/**
 * CPU fallback from a sample: the nodes of the highest free-share buckets, the irregular
 * ready nodes and the stream's node, scored as `placeOnCpu` scores (free share, the stream's
 * node ahead, ties to the seeded draw, then the id).
 */
function placeCpuSampled(
  job: JobSpec,
  index: FleetIndex,
  options: PlacementOptions,
  extra: readonly number[],
  streamNode: string | undefined,
  draw: (key: string) => number,
): PlacementResult | null {
  if (!options.cpuFallbackPermitted) return null;
  const size = options.sampleSize ?? 0;
  const picked: NodeSnapshot[] = [];
  const seen = new Set<number>();
  const consider = (position: number): boolean => {
    if (seen.has(position)) return false;
    seen.add(position);
    const node = index.nodes[position] as NodeSnapshot;
    if (!node.cpuSlots || node.cpuSlots.free <= 0 || nodeExclusion(node, job, options) !== null) return false;
    picked.push(node);
    return true;
  };
  let found = 0;
  for (let bucket = Math.min(CPU_STEPS, index.cpu.span - 1); bucket >= 0 && found < size; bucket -= 1) {
    found += drawFrom(index.cpu.bucket(bucket), size - found, draw, `c${bucket}`, consider);
  }
  for (const position of extra) consider(position);
  if (picked.length === 0) return null;

  let best: NodeSnapshot | undefined;
  let bestScore = -Infinity;
  let tied = 0;
  const scoreOf = (node: NodeSnapshot): number => {
    const slots = node.cpuSlots as { total: number; free: number };
    return Math.round((slots.free / Math.max(1, slots.total) + (node.id === streamNode ? 3 : 0)) * 1e9) / 1e9;
  };
  for (const node of picked) {
    const score = scoreOf(node);
    if (score > bestScore) {
      bestScore = score;
      tied = 1;
    } else if (score === bestScore) tied += 1;
  }
  const tieDraw = tied > 1 ? seededDrawAfter(options.seed, 'cpu', job.id) : () => 0;
  let bestDraw = Infinity;
  for (const node of picked) {
    if (scoreOf(node) !== bestScore) continue;
    const d = tieDraw(node.id);
    if (!best || d < bestDraw || (d === bestDraw && compareStrings(node.id, best.id) < 0)) {
      best = node;
      bestDraw = d;
    }
  }
  if (!best) return null;
  return {
    ok: true,
    placement: {
      target: 'cpu',
      nodeId: best.id,
      score: bestScore,
      reason: `no GPU fits; CPU fallback on the node with the most free CPU slots of ${picked.length} sampled`,
    },
  };
}
