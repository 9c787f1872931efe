import fc from 'fast-check';
import { PRIORITY_CLASSES } from '../priority.js';
import type { SimulationPlan } from '../simulate.js';
import type { FleetSnapshot, NodeSnapshot, RunningJob, TenantSnapshot } from '../snapshot.types.js';
import { GIB } from '../units.js';
import { AMPERE_40G, aDevice, aTenant, EMPTY_USAGE, GENEROUS_QUOTA } from './fixtures.js';

/** Random but well-formed fleets and requests for property tests. */

export const NOW = 10_000_000;

const tenantArb = (id: string): fc.Arbitrary<TenantSnapshot> =>
  fc
    .record({
      suspended: fc.boolean(),
      gpus: fc.integer({ min: 1, max: 8 }),
      usedGpus: fc.integer({ min: 0, max: 8 }),
      usage: fc.integer({ min: 0, max: 5000 }),
      policy: fc.constantFrom('least-loaded', 'bin-pack', 'spread' as const),
      // Some tenants near their jobs-per-minute limit, so a pass's own placements can reach it.
      perMinute: fc.constantFrom(2, 4, GENEROUS_QUOTA.jobsPerMinute),
      recentAgesMs: fc.array(fc.integer({ min: 0, max: 70_000 }), { minLength: 1, maxLength: 3 }),
    })
    .map((t) =>
      aTenant({
        id,
        suspended: t.suspended,
        quota: { ...GENEROUS_QUOTA, gpus: t.gpus, jobsPerMinute: t.perMinute },
        usage: {
          ...EMPTY_USAGE,
          gpus: t.usedGpus,
          recentSubmissionsMs: t.recentAgesMs.map((age) => NOW - age).sort((a, b) => a - b),
        },
        decayedUsage: { gpuSeconds: t.usage, atMs: NOW - 60_000 },
        placementPolicy: t.policy,
      }),
    );

const nodeArb = (n: number): fc.Arbitrary<NodeSnapshot> =>
  fc.record({
    id: fc.constant(`n${n}`),
    state: fc.constantFrom('ready', 'ready', 'draining', 'lost' as const),
    devices: fc
      .array(fc.record({ big: fc.boolean(), freeGib: fc.integer({ min: 0, max: 80 }), hot: fc.boolean() }), {
        maxLength: 3,
      })
      .map((ds) =>
        ds.map((d, i) =>
          aDevice({
            id: `n${n}-g${i}`,
            ...(d.big ? {} : { capability: AMPERE_40G }),
            freeVramBytes: Math.min(d.freeGib, d.big ? 80 : 40) * GIB,
            temperatureC: d.hot ? 92 : 50,
          }),
        ),
      ),
    cpuSlots: fc.record({ total: fc.constant(2), free: fc.integer({ min: 0, max: 2 }) }),
  });

export const fleetArb: fc.Arbitrary<FleetSnapshot> = fc
  .tuple(tenantArb('tenant-a'), tenantArb('tenant-b'), fc.tuple(nodeArb(0), nodeArb(1), nodeArb(2)))
  .chain(([a, b, nodes]) => {
    const placements = nodes.flatMap((node) =>
      node.devices.map((d) => ({ nodeId: node.id, deviceId: d.id })),
    );
    const runningArb: fc.Arbitrary<RunningJob[]> =
      placements.length === 0
        ? fc.constant([])
        : fc
            .array(
              fc.record({
                where: fc.constantFrom(...placements),
                tenantId: fc.constantFrom('tenant-a', 'tenant-b'),
                gib: fc.integer({ min: 1, max: 40 }),
                priority: fc.constantFrom(...PRIORITY_CLASSES),
                preemptible: fc.boolean(),
                age: fc.integer({ min: 0, max: 600_000 }),
                estimate: fc.option(fc.integer({ min: 1_000, max: 900_000 }), { nil: undefined }),
              }),
              { maxLength: 6 },
            )
            .map((rs) =>
              rs.map((r, i) => ({
                jobId: `r${i}`,
                tenantId: r.tenantId,
                nodeId: r.where.nodeId,
                deviceIds: [r.where.deviceId],
                vramBytesPerDevice: r.gib * GIB,
                priority: r.priority,
                preemptible: r.preemptible,
                startedAtMs: NOW - r.age,
                ...(r.estimate === undefined ? {} : { estimatedDurationMs: r.estimate }),
              })),
            );
    return runningArb.map((running) => ({
      nowMs: NOW,
      tenants: [a, b],
      nodes,
      running,
      streamNodes: { 'rig-1': 'n1' },
    }));
  });

export const planArb: fc.Arbitrary<SimulationPlan> = fc.record({
  tenantId: fc.constantFrom('tenant-a', 'tenant-b', 'nobody'),
  vramBytesPerDevice: fc.integer({ min: 0, max: 90 }).map((g) => g * GIB),
  gpus: fc.integer({ min: 1, max: 3 }),
  priority: fc.constantFrom(...PRIORITY_CLASSES),
  estimatedDurationMs: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
  cpuFallbackAllowed: fc.boolean(),
  affinity: fc.option(
    fc.record({
      deviceClass: fc.constantFrom('sm_90+', 'vram>=40GiB', 'arch=ampere'),
      sameNodeAsStream: fc.constant('rig-1'),
    }),
    { nil: undefined },
  ),
});
