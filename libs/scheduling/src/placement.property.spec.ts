import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { matchesDeviceClass, parseDeviceClass } from './device-class.js';
import { placeJob } from './placement.js';
import type { DeviceSnapshot, NodeSnapshot } from './snapshot.types.js';
import { AMPERE_40G, aDevice, aJob } from './testing/fixtures.js';
import { placementOptions } from './testing/placement-options.js';
import { GIB } from './units.js';

const HOPPER_80G = aDevice().capability;
const EXPRESSIONS = [
  null,
  'sm_90+',
  'sm_80',
  'vram>=40GiB',
  'vram>40GiB',
  'arch=ampere',
  'precision=fp8,tensor-cores',
];

const deviceArb = (nodeIndex: number, deviceIndex: number): fc.Arbitrary<DeviceSnapshot> =>
  fc
    .record({
      capability: fc.constantFrom(HOPPER_80G, AMPERE_40G),
      freeGib: fc.integer({ min: 0, max: 80 }),
      temperatureC: fc.integer({ min: 30, max: 95 }),
      throttling: fc.boolean(),
      utilization: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map((d) =>
      aDevice({
        id: `n${nodeIndex}-gpu${deviceIndex}`,
        capability: d.capability,
        freeVramBytes: Math.min(d.freeGib * GIB, d.capability.memoryBytes),
        temperatureC: d.temperatureC,
        throttling: d.throttling,
        utilization: d.utilization,
      }),
    );

const nodesArb: fc.Arbitrary<NodeSnapshot[]> = fc.integer({ min: 1, max: 4 }).chain((count) =>
  fc
    .tuple(
      ...Array.from({ length: count }, (_, n) =>
        fc.record({
          state: fc.constantFrom('ready', 'ready', 'ready', 'draining', 'cordoned', 'lost' as const),
          devices: fc
            .integer({ min: 0, max: 4 })
            .chain((k) => fc.tuple(...Array.from({ length: k }, (_, d) => deviceArb(n, d)))),
        }),
      ),
    )
    .map((nodes) =>
      nodes.map((node, n): NodeSnapshot => ({ id: `n${n}`, state: node.state, devices: node.devices })),
    ),
);

describe('placement property', () => {
  it('never picks a device without the VRAM or the capability, and finds one whenever one exists', () => {
    fc.assert(
      fc.property(
        nodesArb,
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(...EXPRESSIONS),
        fc.constantFrom('least-loaded', 'bin-pack', 'spread' as const),
        fc.integer(),
        (nodes, gib, gpus, expression, policy, seed) => {
          const deviceClass = expression === null ? null : parseDeviceClass(expression);
          const job = aJob({ vramBytesPerDevice: gib * GIB, gpus });
          const fits = (d: DeviceSnapshot): boolean =>
            d.freeVramBytes >= job.vramBytesPerDevice &&
            (deviceClass === null || matchesDeviceClass(deviceClass, d.capability));
          const result = placeJob(
            job,
            { nodes, running: [] },
            placementOptions({ deviceClass, policy, seed }),
          );
          const feasible = nodes.filter((n) => n.state === 'ready' && n.devices.filter(fits).length >= gpus);
          if (!result.ok) {
            expect(feasible).toEqual([]);
            expect(result.blockers.length).toBeGreaterThan(0);
            return;
          }
          const { placement } = result;
          if (placement.target !== 'gpu') throw new Error('CPU fallback was not permitted');
          const node = nodes.find((n) => n.id === placement.nodeId);
          expect(node?.state).toBe('ready');
          expect(new Set(placement.deviceIds).size).toBe(gpus);
          for (const id of placement.deviceIds) {
            const device = node?.devices.find((d) => d.id === id);
            expect(device).toBeDefined();
            expect(fits(device as DeviceSnapshot)).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
