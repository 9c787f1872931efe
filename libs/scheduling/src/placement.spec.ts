import { describe, expect, it } from '@jest/globals';
import { parseDeviceClass } from './device-class.js';
import { placeJob } from './placement.js';
import type { Placement, PlacementFleet, PlacementResult } from './placement.types.js';
import { AMPERE_40G, aDevice, aJob, aNode, aRunningJob } from './testing/fixtures.js';
import { placementOptions } from './testing/placement-options.js';
import { GIB } from './units.js';

function fleet(overrides: Partial<PlacementFleet> = {}): PlacementFleet {
  return { nodes: [aNode()], running: [], ...overrides };
}

function placed(result: PlacementResult): Placement {
  if (!result.ok) throw new Error(`not placed: ${result.blockers.map((b) => b.message).join('; ')}`);
  return result.placement;
}

function devicesOf(result: PlacementResult): readonly string[] {
  const placement = placed(result);
  return placement.target === 'gpu' ? placement.deviceIds : [];
}

const roomy = aDevice({ id: 'roomy', freeVramBytes: 70 * GIB });
const snug = aDevice({ id: 'snug', freeVramBytes: 10 * GIB });

describe('placeJob: filtering', () => {
  it('skips nodes that are not ready and names why', () => {
    const result = placeJob(
      aJob(),
      fleet({ nodes: [aNode({ state: 'draining' }), aNode({ id: 'n2', state: 'cordoned' })] }),
      placementOptions(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.exclusions.map((e) => e.reason)).toEqual(['node is cordoned', 'node is draining']);
    expect(result.blockers[0]?.resource).toBe('healthy-nodes');
  });

  it('skips nodes and devices whose breaker is open, until the cool-down lets a probe in', () => {
    const broken = aNode({
      id: 'broken',
      breaker: { kind: 'open', openedAtMs: 990_000, consecutiveFailures: 3 },
    });
    expect(placeJob(aJob(), fleet({ nodes: [broken] }), placementOptions()).ok).toBe(false);
    expect(
      placed(placeJob(aJob(), fleet({ nodes: [broken] }), placementOptions({ nowMs: 2_000_000 }))).nodeId,
    ).toBe('broken');
    const badDevice = aNode({
      devices: [
        aDevice({ id: 'bad', breaker: { kind: 'open', openedAtMs: 990_000, consecutiveFailures: 3 } }),
        aDevice({ id: 'good' }),
      ],
    });
    expect(devicesOf(placeJob(aJob(), fleet({ nodes: [badDevice] }), placementOptions()))).toEqual(['good']);
  });

  it('requires the device class and enough free VRAM', () => {
    const node = aNode({
      devices: [
        aDevice({ id: 'ampere', capability: AMPERE_40G }),
        aDevice({ id: 'hopper', freeVramBytes: 4 * GIB }),
      ],
    });
    const options = placementOptions({ deviceClass: parseDeviceClass('sm_80') });
    expect(devicesOf(placeJob(aJob(), fleet({ nodes: [node] }), options))).toEqual(['ampere']);
    const hopperOnly = placeJob(
      aJob(),
      fleet({ nodes: [node] }),
      placementOptions({ deviceClass: parseDeviceClass('arch=hopper') }),
    );
    expect(hopperOnly.ok).toBe(false);
    if (!hopperOnly.ok) {
      expect(hopperOnly.blockers[0]).toMatchObject({
        resource: 'device-vram',
        needed: 8 * GIB,
        available: 4 * GIB,
        shortfall: 4 * GIB,
      });
    }
  });

  it('honours node affinity as a hard constraint', () => {
    const nodes = [aNode({ id: 'a' }), aNode({ id: 'b' })];
    expect(
      placed(placeJob(aJob({ affinity: { nodeId: 'b' } }), fleet({ nodes }), placementOptions())).nodeId,
    ).toBe('b');
  });

  it('places a multi-GPU job on one node with enough devices', () => {
    const nodes = [
      aNode({ id: 'one', devices: [aDevice({ id: 'x' })] }),
      aNode({
        id: 'two',
        devices: [aDevice({ id: 'p' }), aDevice({ id: 'q' }), aDevice({ id: 'r', freeVramBytes: 0 })],
      }),
    ];
    expect(placed(placeJob(aJob({ gpus: 2 }), fleet({ nodes }), placementOptions()))).toMatchObject({
      nodeId: 'two',
      deviceIds: ['p', 'q'],
    });
    const three = placeJob(aJob({ gpus: 3 }), fleet({ nodes }), placementOptions());
    expect(three.ok ? null : three.blockers[0]).toMatchObject({
      resource: 'devices-on-node',
      needed: 3,
      available: 2,
    });
  });

  it('falls back to a CPU slot only when permitted', () => {
    const node = aNode({ devices: [snug], cpuSlots: { total: 4, free: 2 } });
    const big = aJob({ vramBytesPerDevice: 20 * GIB });
    expect(placeJob(big, fleet({ nodes: [node] }), placementOptions()).ok).toBe(false);
    expect(
      placed(placeJob(big, fleet({ nodes: [node] }), placementOptions({ cpuFallbackPermitted: true }))),
    ).toMatchObject({
      target: 'cpu',
      nodeId: 'node-1',
    });
  });
});

describe('placeJob: scoring', () => {
  const node = aNode({ devices: [roomy, snug] });

  it('least-loaded prefers the emptiest device; bin-pack the tightest fit', () => {
    expect(devicesOf(placeJob(aJob(), fleet({ nodes: [node] }), placementOptions()))).toEqual(['roomy']);
    expect(
      devicesOf(placeJob(aJob(), fleet({ nodes: [node] }), placementOptions({ policy: 'bin-pack' }))),
    ).toEqual(['snug']);
  });

  it('spread prefers the node with fewer of the tenant’s jobs', () => {
    const nodes = [aNode({ id: 'busy' }), aNode({ id: 'idle' })];
    const running = [aRunningJob({ tenantId: 'tenant-a', nodeId: 'busy' })];
    expect(
      placed(placeJob(aJob(), fleet({ nodes, running }), placementOptions({ policy: 'spread' }))).nodeId,
    ).toBe('idle');
  });

  it('avoids a hot or throttling device while a cool one fits, and says when only hot ones remain', () => {
    const hot = aDevice({ id: 'hot', freeVramBytes: 80 * GIB, temperatureC: 91 });
    const throttled = aDevice({ id: 'throttled', freeVramBytes: 80 * GIB, throttling: true });
    const cool = aDevice({ id: 'cool', freeVramBytes: 20 * GIB, utilization: 0.9 });
    expect(
      devicesOf(
        placeJob(aJob(), fleet({ nodes: [aNode({ devices: [hot, throttled, cool] })] }), placementOptions()),
      ),
    ).toEqual(['cool']);
    const onlyHot = placed(
      placeJob(aJob(), fleet({ nodes: [aNode({ devices: [hot] })] }), placementOptions()),
    );
    expect(onlyHot.reason).toContain('only hot or throttling devices');
  });

  it('prefers devices with a good performance history', () => {
    const flaky = aDevice({ id: 'flaky', performance: { samples: 200, successRate: 0.5, speedFactor: 1 } });
    const solid = aDevice({ id: 'solid', performance: { samples: 200, successRate: 1, speedFactor: 1.2 } });
    expect(
      devicesOf(placeJob(aJob(), fleet({ nodes: [aNode({ devices: [flaky, solid] })] }), placementOptions())),
    ).toEqual(['solid']);
  });

  it('puts a job next to its tracking stream even when that node is busier', () => {
    const nodes = [
      aNode({ id: 'empty' }),
      aNode({ id: 'stream-home', devices: [aDevice({ freeVramBytes: 12 * GIB, utilization: 0.8 })] }),
    ];
    const job = aJob({ affinity: { sameNodeAsStream: 'cam-rig-1' } });
    const result = placeJob(
      job,
      fleet({ nodes, streamNodes: { 'cam-rig-1': 'stream-home' } }),
      placementOptions(),
    );
    expect(placed(result).nodeId).toBe('stream-home');
  });

  it('breaks ties between identical nodes by seed, the same way every time', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((id) => aNode({ id }));
    const pick = (seed: number): string =>
      placed(placeJob(aJob(), fleet({ nodes }), placementOptions({ seed }))).nodeId;
    expect(pick(1)).toBe(pick(1));
    expect(
      placed(placeJob(aJob(), fleet({ nodes: [...nodes].reverse() }), placementOptions({ seed: 1 }))).nodeId,
    ).toBe(pick(1));
    const chosen = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(pick));
    expect(chosen.size).toBeGreaterThan(1);
  });
});
