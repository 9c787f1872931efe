import { createRandom } from '../seeded-random.js';
import type { DeviceSnapshot, FleetSnapshot, JobSpec, NodeSnapshot } from '../snapshot.types.js';
import { GIB } from '../units.js';
import { AMPERE_40G, aDevice, aJob, anEdition, aTenant } from './fixtures.js';
import type { TenantQuota } from '../snapshot.types.js';

const UNLIMITED: TenantQuota = {
  vramBytesPerDevice: 1e15,
  vramBytesTotal: 1e18,
  gpus: 1e9,
  concurrentJobs: 1e9,
  jobsPerMinute: 1e9,
  gpuSecondsPerDay: 1e15,
  trackingStreams: 1e6,
};

/** A tenant whose quota never binds, so the fleet and not a quota is what a run measures. */
export const UNLIMITED_TENANT = aTenant({ quota: UNLIMITED, edition: anEdition({ ceiling: UNLIMITED }) });

/** Job sizes of the mixed stream, in GiB per device. */
export const STREAM_VRAM_GIB = [2, 4, 8, 12, 16, 24, 40] as const;

/**
 * A fleet for scale tests and the placement-quality bench: `count` nodes of `perNode` GPUs, a third
 * of them 40 GiB Ampere and the rest 80 GiB Hopper, some devices already partly used, and
 * (with `cpuSlots`) CPU fallback slots. The same seed gives the same fleet.
 */
export function largeFleet(count: number, seed = 'fleet', cpuSlots = 0, perNode = 8): FleetSnapshot {
  const random = createRandom(seed);
  const nodes: NodeSnapshot[] = [];
  for (let n = 0; n < count; n += 1) {
    const ampere = n % 3 === 0;
    const devices: DeviceSnapshot[] = [];
    for (let d = 0; d < perNode; d += 1) {
      const memory = ampere ? 40 * GIB : 80 * GIB;
      const used = random() < 0.3 ? Math.floor(random() * 4) * 8 * GIB : 0;
      devices.push(
        aDevice({
          id: String(d),
          ...(ampere ? { capability: AMPERE_40G } : {}),
          freeVramBytes: Math.max(0, memory - used),
          utilization: random() * 0.5,
        }),
      );
    }
    nodes.push({
      id: `node-${String(n).padStart(5, '0')}`,
      state: 'ready',
      devices,
      ...(cpuSlots > 0 ? { cpuSlots: { total: cpuSlots, free: cpuSlots } } : {}),
    });
  }
  return { nowMs: 1_000_000, tenants: [UNLIMITED_TENANT], nodes, running: [] };
}

/** A CPU-only fleet: `count` nodes with `slots` free CPU slots each, some partly used. */
export function cpuFleet(count: number, slots: number, seed = 'cpu'): FleetSnapshot {
  const random = createRandom(seed);
  const nodes: NodeSnapshot[] = Array.from({ length: count }, (_, n) => ({
    id: `cpu-${String(n).padStart(5, '0')}`,
    state: 'ready' as const,
    devices: [],
    cpuSlots: { total: slots, free: slots - Math.floor(random() * (slots / 2)) },
  }));
  return { nowMs: 1_000_000, tenants: [UNLIMITED_TENANT], nodes, running: [] };
}

/** `count` jobs of the mixed stream (sizes from STREAM_VRAM_GIB, one in ten on two GPUs). */
export function jobStream(count: number, seed = 'jobs', overrides: Partial<JobSpec> = {}): JobSpec[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i) =>
    aJob({
      id: `job-${String(i).padStart(6, '0')}`,
      vramBytesPerDevice: (STREAM_VRAM_GIB[Math.floor(random() * STREAM_VRAM_GIB.length)] as number) * GIB,
      gpus: random() < 0.1 ? 2 : 1,
      submittedAtMs: i,
      preemptible: false,
      ...overrides,
    }),
  );
}

/**
 * How well a fleet is packed: VRAM in use over VRAM in all, and devices left fragmented (some
 * room free, yet less than the stream's median job needs, so that room mostly goes unused).
 */
export function packing(snapshot: FleetSnapshot): {
  efficiency: number;
  fragmented: number;
  devices: number;
} {
  const median = (STREAM_VRAM_GIB[Math.floor(STREAM_VRAM_GIB.length / 2)] as number) * GIB;
  let total = 0;
  let free = 0;
  let fragmented = 0;
  let devices = 0;
  for (const node of snapshot.nodes) {
    for (const device of node.devices) {
      devices += 1;
      total += device.capability.memoryBytes;
      free += device.freeVramBytes;
      if (device.freeVramBytes > 0 && device.freeVramBytes < median) fragmented += 1;
    }
  }
  return { efficiency: total === 0 ? 0 : 1 - free / total, fragmented, devices };
}
