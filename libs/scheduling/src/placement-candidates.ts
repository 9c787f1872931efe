import { compareNumbers, compareStrings } from './ordering.js';
import { eligibleDevices } from './placement-eligibility.js';
import { isThermallyAvoided, scoreDevice, type NodeContext } from './placement-scoring.js';
import type { Exclusion, Placement, PlacementOptions } from './placement.types.js';
import { seededUnitsAfter } from './seeded-random.js';
import type { DeviceSnapshot, JobSpec, NodeSnapshot } from './snapshot.types.js';

/** A node a job could run on now, with the devices it would get and their mean score. */
export interface Candidate {
  readonly node: NodeSnapshot;
  readonly devices: readonly DeviceSnapshot[];
  readonly score: number;
}

/** The job's candidate on one node that takes work: its best devices and their mean score. */
export function candidateOn(
  node: NodeSnapshot,
  job: JobSpec,
  options: PlacementOptions,
  context: NodeContext,
  exclusions?: Exclusion[],
): Candidate | null {
  const eligible = eligibleDevices(node, job, options);
  exclusions?.push(...eligible.exclusions);
  if (eligible.devices.length < job.gpus) return null;
  const scored = eligible.devices
    .map((device) => ({ device, score: scoreDevice(device, node, job, context, options) }))
    .sort((a, b) => compareNumbers(b.score, a.score) || compareStrings(a.device.id, b.device.id));
  const chosen = scored.slice(0, job.gpus);
  const score = roundScore(chosen.reduce((sum, s) => sum + s.score, 0) / chosen.length);
  return { node, devices: chosen.map((s) => s.device), score };
}

/** Highest score wins; only on an exact tie is the seeded draw computed. */
export function pickBest(
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

export function gpuPlacement(best: Candidate, scope: string, options: PlacementOptions): Placement {
  const hot = best.devices.filter((d) => isThermallyAvoided(d, options)).map((d) => d.id);
  const hotNote = hot.length > 0 ? `; only hot or throttling devices were left (${hot.join(', ')})` : '';
  return {
    target: 'gpu',
    nodeId: best.node.id,
    deviceIds: best.devices.map((d) => d.id),
    score: best.score,
    reason: `best ${options.policy} score ${best.score.toFixed(3)} of ${scope} node(s)${hotNote}`,
  };
}

/** Scores are rounded so float noise cannot decide between equal devices; the seed does. */
export function roundScore(score: number): number {
  return Math.round(score * 1e9) / 1e9;
}
