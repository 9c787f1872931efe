import { compareNumbers, compareStrings } from './ordering.js';
import { deviceExclusion, nodeExclusion } from './placement-eligibility.js';
import type { PlacementFleet, PlacementOptions } from './placement.types.js';
import { effectivePriorityRank, priorityRank } from './priority.js';
import { seededUnit } from './seeded-random.js';
import type { JobSpec, RunningJob } from './snapshot.types.js';
import { formatDurationMs } from './units.js';

export interface PreemptionPolicy {
  /** A victim must have run at least this long, so preemption cannot thrash a job forever. */
  readonly minRuntimeMs: number;
  /** A checkpoint younger than this makes a job a cheap victim: it resumes from there. */
  readonly checkpointFreshMs: number;
}

export const DEFAULT_PREEMPTION_POLICY: PreemptionPolicy = {
  minRuntimeMs: 30_000,
  checkpointFreshMs: 120_000,
};

export interface Victim {
  readonly jobId: string;
  readonly tenantId: string;
  readonly nodeId: string;
  readonly deviceIds: readonly string[];
  readonly priority: RunningJob['priority'];
  readonly runtimeMs: number;
  /** Work redone after requeue: since the fresh checkpoint, else since start. */
  readonly lostWorkMs: number;
  readonly resumesFromCheckpoint: boolean;
  /**
   * Already told to stop (an earlier preemption or a cancellation): its room comes free once
   * its node confirms, at no further cost, so it is chosen before anything else.
   */
  readonly stopping?: true;
  /** Borrowed from the preemptor's cohort: reclaimed whatever its priority or runtime. */
  readonly borrowed?: true;
}

export interface PreemptionPlan {
  /** Absent: devices. `cpu`: a CPU slot, for a job that may run on the CPU. */
  readonly target?: 'cpu';
  readonly nodeId: string;
  readonly deviceIds: readonly string[];
  readonly victims: readonly Victim[];
  readonly reason: string;
}

/** Beyond this many subsets per device the exact search gives way to the greedy answer. */
const MAX_SUBSETS = 4096;

/**
 * For a job that fits nowhere now: the fewest preemptible, strictly lower-priority jobs whose
 * removal lets it fit, preferring victims that lose the least work (a fresh checkpoint, or
 * newest first). Null when no such set exists. Victims are to be requeued, never dropped.
 */
export function choosePreemption(
  job: JobSpec,
  fleet: PlacementFleet,
  options: PlacementOptions,
  policy: PreemptionPolicy = DEFAULT_PREEMPTION_POLICY,
  /** Borrowed work the job's tenant lent (see `reclaimableJobs`): victims before any other. */
  reclaimable: ReadonlySet<string> = new Set(),
): PreemptionPlan | null {
  const jobRank = effectivePriorityRank(job.priority, job.boost);
  const candidates = fleet.running
    .filter(
      (r) =>
        r.stopping === true ||
        reclaimable.has(r.jobId) ||
        (r.preemptible &&
          priorityRank(r.priority) > jobRank &&
          options.nowMs - r.startedAtMs >= policy.minRuntimeMs),
    )
    .map((r) => toVictim(r, options.nowMs, policy, reclaimable.has(r.jobId)))
    // Id order makes the choice independent of the order running jobs were loaded in.
    .sort((a, b) => compareStrings(a.jobId, b.jobId));
  const victims = candidates.filter((v) => v.deviceIds.length > 0);

  let best: { plan: PreemptionPlan; key: readonly number[]; tie: number } | null = null;
  for (const node of fleet.nodes) {
    if (nodeExclusion(node, job, options)) continue;
    const perDevice = node.devices
      .filter((device) => deviceExclusion(device, job, options, Number.POSITIVE_INFINITY) === null)
      .map((device) => {
        const onDevice = victims.filter((v) => v.nodeId === node.id && v.deviceIds.includes(device.id));
        const set = cheapestCover(onDevice, job.vramBytesPerDevice - device.freeVramBytes, fleet.running);
        return set === null ? null : { deviceId: device.id, set };
      })
      .filter((option) => option !== null)
      .sort((a, b) => compareKeys(setKey(a.set), setKey(b.set)) || compareStrings(a.deviceId, b.deviceId));
    if (perDevice.length < job.gpus) continue;
    const chosen = perDevice.slice(0, job.gpus);
    const union = dedupe(chosen.flatMap((option) => option.set));
    if (union.length === 0) continue;
    const key = setKey(union);
    const tie = seededUnit(options.seed, 'preempt', job.id, node.id);
    if (!best || compareKeys(key, best.key) < 0 || (compareKeys(key, best.key) === 0 && tie < best.tie)) {
      const plan: PreemptionPlan = {
        nodeId: node.id,
        deviceIds: chosen.map((option) => option.deviceId),
        victims: union,
        reason: describe(union, job),
      };
      best = { plan, key, tie };
    }
  }
  if (best) return best.plan;
  return options.cpuFallbackPermitted
    ? choosePreemptionOnCpu(
        job,
        fleet,
        options,
        candidates.filter((v) => v.deviceIds.length === 0),
      )
    : null;
}

/**
 * For a job that may run on the CPU and finds no free slot: the one cheapest CPU job to stop
 * on a node that takes work (a stopping one first: its slot is coming free anyway).
 */
function choosePreemptionOnCpu(
  job: JobSpec,
  fleet: PlacementFleet,
  options: PlacementOptions,
  victims: readonly Victim[],
): PreemptionPlan | null {
  let best: { plan: PreemptionPlan; key: readonly number[]; tie: number } | null = null;
  for (const node of fleet.nodes) {
    if (!node.cpuSlots || node.cpuSlots.total === 0 || nodeExclusion(node, job, options)) continue;
    for (const victim of victims) {
      if (victim.nodeId !== node.id) continue;
      const key = setKey([victim]);
      const tie = seededUnit(options.seed, 'preempt', job.id, node.id);
      if (!best || compareKeys(key, best.key) < 0 || (compareKeys(key, best.key) === 0 && tie < best.tie)) {
        best = {
          plan: {
            target: 'cpu',
            nodeId: node.id,
            deviceIds: [],
            victims: [victim],
            reason: describe([victim], job),
          },
          key,
          tie,
        };
      }
    }
  }
  return best?.plan ?? null;
}

function toVictim(job: RunningJob, nowMs: number, policy: PreemptionPolicy, reclaimed: boolean): Victim {
  const checkpoint = job.lastCheckpointAtMs;
  const fresh =
    checkpoint !== undefined &&
    checkpoint >= job.startedAtMs &&
    nowMs - checkpoint <= policy.checkpointFreshMs;
  return {
    jobId: job.jobId,
    tenantId: job.tenantId,
    nodeId: job.nodeId,
    deviceIds: job.deviceIds,
    priority: job.priority,
    runtimeMs: nowMs - job.startedAtMs,
    lostWorkMs: job.stopping ? 0 : fresh ? nowMs - checkpoint : nowMs - job.startedAtMs,
    resumesFromCheckpoint: fresh,
    ...(job.stopping ? { stopping: true as const } : {}),
    ...(reclaimed ? { borrowed: true as const } : {}),
  };
}

/**
 * Fewest victims that are not borrowed work (a lender takes back what it lent first), then
 * fewest victims, fewest without a fresh checkpoint, least lost work, lowest classes.
 */
function setKey(set: readonly Victim[]): number[] {
  const fresh = set.filter((v) => !v.stopping);
  return [
    fresh.filter((v) => !v.borrowed).length,
    fresh.length,
    fresh.filter((v) => !v.resumesFromCheckpoint).length,
    set.reduce((sum, v) => sum + v.lostWorkMs, 0),
    -set.reduce((sum, v) => sum + priorityRank(v.priority), 0),
  ];
}

/** The preferred smallest set of victims on one device freeing at least `need` bytes. */
function cheapestCover(
  candidates: readonly Victim[],
  need: number,
  running: readonly RunningJob[],
): Victim[] | null {
  if (need <= 0) return [];
  const vram = new Map(running.map((r) => [r.jobId, r.vramBytesPerDevice]));
  const freed = (v: Victim): number => vram.get(v.jobId) ?? 0;
  // Taking the largest first gives the smallest count that can cover the need.
  const largestFirst = [...candidates].sort(
    (a, b) => compareNumbers(freed(b), freed(a)) || compareStrings(a.jobId, b.jobId),
  );
  let count = 0;
  let total = 0;
  while (total < need && count < largestFirst.length) total += freed(largestFirst[count++] as Victim);
  if (total < need) return null;

  let best: Victim[] = largestFirst.slice(0, count);
  let examined = 0;
  for (const subset of combinations(candidates, count)) {
    if (++examined > MAX_SUBSETS) break;
    if (subset.reduce((sum, v) => sum + freed(v), 0) < need) continue;
    if (compareKeys(setKey(subset), setKey(best)) < 0) best = subset;
  }
  return [...best].sort((a, b) => compareStrings(a.jobId, b.jobId));
}

function* combinations<T>(items: readonly T[], size: number, start = 0, prefix: T[] = []): Generator<T[]> {
  if (prefix.length === size) {
    yield [...prefix];
    return;
  }
  for (let i = start; i <= items.length - (size - prefix.length); i += 1) {
    prefix.push(items[i] as T);
    yield* combinations(items, size, i + 1, prefix);
    prefix.pop();
  }
}

function dedupe(victims: readonly Victim[]): Victim[] {
  const byId = new Map(victims.map((v) => [v.jobId, v]));
  return [...byId.values()].sort((a, b) => compareStrings(a.jobId, b.jobId));
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const diff = compareNumbers(a[i] ?? 0, b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

function describe(victims: readonly Victim[], job: JobSpec): string {
  const list = victims
    .map(
      (v) =>
        `${v.jobId} (${v.borrowed ? 'borrowed, ' : ''}${v.priority}, ran ${formatDurationMs(v.runtimeMs)}${v.resumesFromCheckpoint ? ', fresh checkpoint' : ''})`,
    )
    .join(', ');
  const reclaimed = victims.filter((v) => v.borrowed).length;
  const what =
    reclaimed === 0
      ? `preempt ${victims.length} lower-priority job(s)`
      : `reclaim quota lent to its cohort: preempt ${victims.length} job(s), ${reclaimed} on borrowed quota,`;
  return `${what} for ${job.priority} job ${job.id}: ${list}`;
}
