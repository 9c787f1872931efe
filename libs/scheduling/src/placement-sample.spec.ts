import { describe, expect, it } from '@jest/globals';
import { neverFitsFleet } from './fleet-fit.js';
import { attachFleetIndex, SAMPLE_MIN_FLEET } from './fleet-index.js';
import { placeJob } from './placement.js';
import { schedulePass, type PassOptions } from './schedule-pass.js';
import type { FleetSnapshot, JobSpec, NodeSnapshot } from './snapshot.types.js';
import { aDevice, aJob } from './testing/fixtures.js';
import { cpuFleet, jobStream, largeFleet, packing } from './testing/large-fleet.js';
import { placementOptions } from './testing/placement-options.js';
import { GIB } from './units.js';

const FULL: PassOptions = { seed: 7, policy: 'least-loaded', preemption: false };
const SAMPLED: PassOptions = { ...FULL, placementSample: 64 };

function placed(pass: ReturnType<typeof schedulePass>): number {
  return pass.decisions.filter((d) => d.decision.kind === 'place').length;
}

/** Every device's free VRAM never below zero and every placement on a device that had room. */
function consistent(before: FleetSnapshot, pass: ReturnType<typeof schedulePass>): boolean {
  const after = new Map(pass.snapshot.nodes.map((n) => [n.id, n]));
  for (const node of before.nodes) {
    for (const device of (after.get(node.id) as NodeSnapshot).devices)
      if (device.freeVramBytes < 0) return false;
    if (((after.get(node.id) as NodeSnapshot).cpuSlots?.free ?? 0) < 0) return false;
  }
  return true;
}

describe('sampled placement on an indexed fleet', () => {
  it('decides exactly as the full scan on a fleet of up to SAMPLE_MIN_FLEET nodes', () => {
    const fleet = largeFleet(SAMPLE_MIN_FLEET, 'small', 2, 2);
    const jobs = jobStream(700, 'small', { cpuFallbackAllowed: true });
    const full = schedulePass(fleet, jobs, FULL);
    const sampled = schedulePass(fleet, jobs, SAMPLED);
    expect(sampled.decisions.map((d) => d.decision)).toEqual(full.decisions.map((d) => d.decision));
  });

  it('looks at a bounded number of nodes per job, not the whole fleet', () => {
    // Each read of a node's devices is counted: the full scan reads every node for every job.
    const base = largeFleet(4_000, 'reads', 0, 1);
    let reads = 0;
    const counted = (fleet: FleetSnapshot): FleetSnapshot => ({
      ...fleet,
      nodes: fleet.nodes.map((node) => {
        const devices = node.devices;
        return Object.defineProperty({ ...node }, 'devices', {
          enumerable: true,
          get: () => {
            reads += 1;
            return devices;
          },
        });
      }),
    });
    const jobs = jobStream(200, 'reads');
    reads = 0;
    schedulePass(counted(base), jobs, FULL);
    const fullReads = reads;
    reads = 0;
    schedulePass(counted(base), jobs, SAMPLED);
    const sampledReads = reads;
    expect(fullReads).toBeGreaterThan(200 * 4_000);
    // Building the index reads each node a few times once; each job reads about its sample.
    expect(sampledReads).toBeLessThan(10 * 4_000 + 200 * 3 * 64);
  });

  it('on 1,000 nodes places every job the full scan places, on devices with room, the same way twice', () => {
    const fleet = largeFleet(1_000, 'thousand', 0, 1);
    // A little more than the fleet holds: both fill it, neither leaves a job waiting with room free.
    const jobs = jobStream(1_400, 'thousand');
    const full = schedulePass(fleet, jobs, FULL);
    const sampled = schedulePass(fleet, jobs, SAMPLED);
    expect(consistent(fleet, sampled)).toBe(true);
    expect(placed(sampled)).toBeGreaterThanOrEqual(placed(full) * 0.98);
    for (const d of sampled.decisions) {
      if (d.decision.kind === 'wait') {
        expect(d.decision.blockers.every((b) => b.kind === 'capacity')).toBe(true);
        // Whatever waits fits on no node of what the pass left.
        const job = jobs.find((j) => j.id === d.jobId) as JobSpec;
        const left = sampled.snapshot.nodes.some(
          (n) =>
            n.devices.filter(
              (dev) =>
                dev.freeVramBytes >= job.vramBytesPerDevice &&
                dev.capability.memoryBytes >= job.vramBytesPerDevice,
            ).length >= job.gpus,
        );
        expect(left).toBe(false);
      }
    }
    const again = schedulePass(fleet, jobs, SAMPLED);
    expect(again.decisions.map((d) => d.record.choice)).toEqual(
      sampled.decisions.map((d) => d.record.choice),
    );
  });

  it('packs about as well as the full scan (bin-pack and least-loaded)', () => {
    const fleet = largeFleet(400, 'quality', 0, 2);
    const jobs = jobStream(2_000, 'quality');
    for (const policy of ['bin-pack', 'least-loaded'] as const) {
      const full = packing(schedulePass(fleet, jobs, { ...FULL, policy }).snapshot);
      const sampled = packing(schedulePass(fleet, jobs, { ...SAMPLED, policy }).snapshot);
      expect(sampled.efficiency).toBeGreaterThanOrEqual(full.efficiency - 0.02);
      expect(sampled.fragmented).toBeLessThanOrEqual(full.fragmented + 0.02 * full.devices);
    }
  });

  it('never takes a hot device while a cool one has room elsewhere', () => {
    const fleet = largeFleet(600, 'hot');
    // Every node hot but one, which sorts last and would rarely be sampled.
    const nodes = fleet.nodes.map((node, i) =>
      i === fleet.nodes.length - 1
        ? node
        : { ...node, devices: node.devices.map((d) => ({ ...d, temperatureC: 95 })) },
    );
    attachFleetIndex(nodes, [], fleet.nowMs);
    const result = placeJob(
      aJob({ vramBytesPerDevice: GIB }),
      { nodes, running: [] },
      placementOptions({ sampleSize: 16 }),
    );
    expect(result.ok && result.placement.nodeId).toBe(fleet.nodes[fleet.nodes.length - 1]?.id);
  });

  it('places a pinned job on its node and a stream job on the stream node on a large fleet', () => {
    const fleet = largeFleet(800, 'pinned');
    const nodes = [...fleet.nodes];
    attachFleetIndex(nodes, [], fleet.nowMs);
    const options = placementOptions({ sampleSize: 16 });
    const pinned = placeJob(aJob({ affinity: { nodeId: 'node-00123' } }), { nodes, running: [] }, options);
    expect(pinned.ok && pinned.placement.nodeId).toBe('node-00123');
    const stream = placeJob(
      aJob({ affinity: { sameNodeAsStream: 's1' } }),
      { nodes, running: [], streamNodes: { s1: 'node-00777' } },
      options,
    );
    expect(stream.ok && stream.placement.nodeId).toBe('node-00777');
  });

  it('fills a CPU fleet of 1,000 nodes from its freest nodes, as many jobs as the full scan', () => {
    const fleet = cpuFleet(1_000, 4);
    const jobs = jobStream(1_500, 'cpu', { cpuFallbackAllowed: true, vramBytesPerDevice: 0 });
    const full = schedulePass(fleet, jobs, FULL);
    const sampled = schedulePass(fleet, jobs, SAMPLED);
    expect(placed(sampled)).toBe(placed(full));
    expect(consistent(fleet, sampled)).toBe(true);
    // The first placement goes to a node as free as the freest (the top bucket).
    const first = sampled.decisions[0]?.decision;
    const freest = Math.max(...fleet.nodes.map((n) => (n.cpuSlots?.free ?? 0) / 4));
    const chosen = fleet.nodes.find((n) => first?.kind === 'place' && n.id === first.placement.nodeId);
    expect((chosen?.cpuSlots?.free ?? 0) / 4).toBeGreaterThanOrEqual(freest - 1 / 64);
  });

  it('admission reads one node per make-up and answers as the full list does', () => {
    const fleet = largeFleet(300, 'shapes', 2);
    const nodes = [
      ...fleet.nodes,
      { id: 'odd', state: 'lost' as const, devices: [aDevice({ id: '0' }), aDevice({ id: '1' })] },
    ];
    const plain = [...nodes];
    attachFleetIndex(nodes, [], fleet.nowMs);
    for (const job of [
      aJob({ vramBytesPerDevice: 60 * GIB, gpus: 8 }),
      aJob({ vramBytesPerDevice: 90 * GIB }),
      aJob({ vramBytesPerDevice: 90 * GIB, cpuFallbackAllowed: true }),
      aJob({ gpus: 9 }),
      aJob({ affinity: { nodeId: 'odd' }, gpus: 3 }),
      aJob({ affinity: { nodeId: 'nowhere' } }),
    ]) {
      expect(neverFitsFleet(job, nodes, null, job.cpuFallbackAllowed)).toEqual(
        neverFitsFleet(job, plain, null, job.cpuFallbackAllowed),
      );
    }
  });
});
