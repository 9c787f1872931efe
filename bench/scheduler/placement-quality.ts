import { schedulePass, type PassOptions, type PlacementPolicy } from '@voxelfleet/scheduling';
import { deepFreeze } from '../../libs/scheduling/src/testing/deep-freeze.js';
import { cpuFleet, jobStream, largeFleet, packing } from '../../libs/scheduling/src/testing/large-fleet.js';

export interface PackingFigures {
  efficiency: number;
  fragmentedShare: number;
  placed: number;
}

/**
 * The sampled scorer against the full scan on the same job stream: a mixed fleet of
 * `nodes` nodes (2 GPUs each, 40 and 80 GiB, some partly used) offered more jobs than it
 * holds (2–40 GiB, one in ten on two GPUs), decided in passes of 2,000 as the scheduler
 * would. Packing efficiency is VRAM in use over VRAM in all once the stream has been offered;
 * a fragmented device has some room left but less than the stream's median job.
 */
export function packingRun(
  nodes: number,
  policy: PlacementPolicy,
  sample: number,
): { full: PackingFigures; sampled: PackingFigures } {
  const fleet = largeFleet(nodes, `quality-${nodes}`, 0, 2);
  const jobs = jobStream(nodes * 10, `quality-${nodes}`);
  const run = (placementSample: number): PackingFigures => {
    const options: PassOptions = { seed: 'bench', policy, preemption: false, placementSample };
    let snapshot = fleet;
    let placed = 0;
    for (let i = 0; i < jobs.length; i += 2_000) {
      const pass = schedulePass(snapshot, jobs.slice(i, i + 2_000), options);
      placed += pass.decisions.filter((d) => d.decision.kind === 'place').length;
      snapshot = pass.snapshot;
    }
    const p = packing(snapshot);
    return { efficiency: p.efficiency, fragmentedShare: p.fragmented / p.devices, placed };
  };
  return { full: run(0), sampled: run(sample) };
}

/**
 * Microseconds of decision per job in one pass of `jobs` jobs on a fleet of `nodes` GPU
 * nodes (or CPU nodes), sampled or scanned: the scheduler's own pass cost, without the
 * database, Redis or the nodes.
 */
export function passCostPerJob(nodes: number, jobs: number, sample: number, cpu: boolean): number {
  // Frozen, as the scheduler's fleet view hands its nodes out: an unchanged node's canonical
  // text (for the pass digest) is then written once, not every pass.
  const fleet = deepFreeze(cpu ? cpuFleet(nodes, 256) : largeFleet(nodes, `cost-${nodes}`));
  const stream = jobStream(
    jobs,
    `cost-${nodes}`,
    cpu ? { cpuFallbackAllowed: true, vramBytesPerDevice: 0 } : {},
  );
  const options: PassOptions = {
    seed: 'bench',
    policy: 'least-loaded',
    preemption: false,
    placementSample: sample,
  };
  schedulePass(fleet, stream.slice(0, 200), options); // warm-up
  const started = performance.now();
  schedulePass(fleet, stream, options);
  return ((performance.now() - started) * 1_000) / jobs;
}
