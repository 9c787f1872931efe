import type { Blocker, QuotaBlocker } from './blockers.js';
import { deviceExclusion, nodeExclusion } from './placement-eligibility.js';
import type { PlacementFleet, PlacementOptions } from './placement.types.js';
import type { JobSpec, RunningJob } from './snapshot.types.js';

export interface StartEstimate {
  /** Null when some blocker's end cannot be foreseen (a running job without an estimate). */
  readonly atMs: number | null;
  readonly basis: string;
}

/**
 * When the blockers of a waiting job should clear, assuming running jobs end when their
 * estimates say (overrunning ones at once) and nothing queued ahead takes the room first.
 */
export function estimateStart(
  job: JobSpec,
  blockers: readonly Blocker[],
  fleet: PlacementFleet,
  options: PlacementOptions,
): StartEstimate {
  if (blockers.length === 0) return { atMs: options.nowMs, basis: 'fits now' };
  const times: (number | null)[] = [];
  for (const blocker of blockers) {
    if (blocker.kind === 'quota') times.push(quotaClearsAt(blocker, job, fleet.running, options.nowMs));
  }
  const capacity = blockers.filter((b) => b.kind === 'capacity');
  if (capacity.length > 0) times.push(gpuFreesAt(job, fleet, options));
  if (times.some((t) => t === null)) {
    return { atMs: null, basis: 'unknown: a blocker depends on running jobs without a duration estimate' };
  }
  const atMs = Math.max(options.nowMs, ...(times as number[]));
  return { atMs, basis: 'when running jobs end per their estimates; ignores jobs queued ahead' };
}

function expectedEnd(job: RunningJob, nowMs: number): number | null {
  if (job.estimatedDurationMs === undefined) return null;
  return Math.max(nowMs, job.startedAtMs + job.estimatedDurationMs);
}

/** Releases sorted by time; null if any needed release has no estimate. */
function timeToRelease(
  releases: readonly { at: number | null; amount: number }[],
  needed: number,
): number | null {
  const known = releases.filter((r) => r.at !== null).sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  let freed = 0;
  for (const release of known) {
    freed += release.amount;
    if (freed >= needed) return release.at;
  }
  return null;
}

function quotaClearsAt(
  blocker: QuotaBlocker,
  job: JobSpec,
  running: readonly RunningJob[],
  nowMs: number,
): number | null {
  if (blocker.clearsAtMs !== undefined) return blocker.clearsAtMs;
  const own = running.filter((r) => r.tenantId === job.tenantId);
  const amountOf = (r: RunningJob): number => {
    switch (blocker.quota) {
      case 'vramBytesTotal':
        return r.vramBytesPerDevice * Math.max(1, r.deviceIds.length);
      case 'gpus':
        return r.deviceIds.length;
      case 'concurrentJobs':
        return 1;
      default:
        return 0;
    }
  };
  return timeToRelease(
    own.map((r) => ({ at: expectedEnd(r, nowMs), amount: amountOf(r) })),
    blocker.shortfall,
  );
}

/** The earliest time some eligible node has `gpus` devices each with enough VRAM free. */
function gpuFreesAt(job: JobSpec, fleet: PlacementFleet, options: PlacementOptions): number | null {
  let best: number | null = null;
  for (const node of fleet.nodes) {
    if (nodeExclusion(node, job, options)) continue;
    const deviceTimes: number[] = [];
    for (const device of node.devices) {
      if (deviceExclusion(device, job, options, Number.POSITIVE_INFINITY)) continue;
      const need = job.vramBytesPerDevice - device.freeVramBytes;
      if (need <= 0) {
        deviceTimes.push(options.nowMs);
        continue;
      }
      const onDevice = fleet.running.filter((r) => r.nodeId === node.id && r.deviceIds.includes(device.id));
      const at = timeToRelease(
        onDevice.map((r) => ({ at: expectedEnd(r, options.nowMs), amount: r.vramBytesPerDevice })),
        need,
      );
      if (at !== null) deviceTimes.push(at);
    }
    deviceTimes.sort((a, b) => a - b);
    const nodeTime = deviceTimes[job.gpus - 1];
    if (nodeTime !== undefined && (best === null || nodeTime < best)) best = nodeTime;
  }
  return best;
}
