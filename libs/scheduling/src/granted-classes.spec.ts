import { describe, expect, it } from '@jest/globals';
import { decideJob } from './decide-job.js';
import { grantedDeviceClass } from './granted-classes.js';
import { matchesDeviceClass, parseDeviceClass } from './device-class.js';
import { AMPERE_40G, aDevice, aFleet, aJob, aNode, aTenant } from './testing/fixtures.js';
import { largeFleet } from './testing/large-fleet.js';
import { GIB } from './units.js';

const small = aDevice({ id: 'small', capability: AMPERE_40G, freeVramBytes: 40 * GIB });
const big = aDevice({ id: 'big', freeVramBytes: 80 * GIB });

describe('grantedDeviceClass', () => {
  it('is null (any device) when the job carries no grant restriction', () => {
    expect(grantedDeviceClass(null, undefined)).toBeNull();
    const own = parseDeviceClass('sm_80+');
    expect(grantedDeviceClass(own, undefined)).toBe(own);
  });

  it('matches a device that any one granted class matches, and all of the job own terms', () => {
    const granted = grantedDeviceClass(null, ['vram<=40GiB', 'arch=blackwell']);
    expect(granted).not.toBeNull();
    if (!granted) return;
    expect(matchesDeviceClass(granted, small.capability)).toBe(true);
    expect(matchesDeviceClass(granted, big.capability)).toBe(false);
    const both = grantedDeviceClass(parseDeviceClass('sm_90+'), ['vram<=40GiB']);
    if (!both) throw new Error('expected a class');
    // The job asks for Hopper, the grant allows only small devices: the A100 fails the job's term.
    expect(matchesDeviceClass(both, small.capability)).toBe(false);
    expect(both.source).toBe('sm_90+ within granted (vram<=40GiB)');
  });

  it('grants nothing when the list of granted classes is empty', () => {
    const none = grantedDeviceClass(null, []);
    if (!none) throw new Error('expected a class');
    expect(matchesDeviceClass(none, small.capability)).toBe(false);
    expect(none.source).toBe('granted (no device class)');
  });
});

describe('granted device classes in decisions', () => {
  const node = aNode({ devices: [big, small] });

  it('places a job granted only small devices on the small one, though the big one scores higher', () => {
    const free = decideJob(aJob(), aFleet({ nodes: [node] }), { seed: 1 });
    expect(free.decision.kind === 'place' && free.decision.placement).toMatchObject({ deviceIds: ['big'] });
    const limited = decideJob(aJob({ grantedDeviceClasses: ['vram<=40GiB'] }), aFleet({ nodes: [node] }), {
      seed: 1,
    });
    expect(limited.decision.kind === 'place' && limited.decision.placement).toMatchObject({
      deviceIds: ['small'],
    });
  });

  it('waits rather than use a device outside the grant when the granted one is full', () => {
    const fullSmall = aDevice({ ...small, freeVramBytes: 0 });
    const decided = decideJob(
      aJob({ grantedDeviceClasses: ['vram<=40GiB'], preemptible: false }),
      aFleet({ nodes: [aNode({ devices: [big, fullSmall] })] }),
      { seed: 1, preemption: false },
    );
    expect(decided.decision.kind).toBe('wait');
  });

  it('refuses a job no device in the fleet could ever take under its grants, naming the grant', () => {
    const decided = decideJob(
      aJob({ grantedDeviceClasses: ['vram<=16GiB'] }),
      aFleet({ nodes: [node], tenants: [aTenant()] }),
      { seed: 1 },
    );
    expect(decided.decision).toMatchObject({
      kind: 'reject',
      rejection: {
        code: 'never-fits-fleet',
        reason: 'no device in the fleet matches device class granted (vram<=16GiB)',
      },
    });
  });

  it('refuses an unreadable granted class as an invalid job', () => {
    const decided = decideJob(aJob({ grantedDeviceClasses: ['vram>=lots'] }), aFleet({ nodes: [node] }), {
      seed: 1,
    });
    expect(decided.decision.kind === 'reject' && decided.decision.rejection.code).toBe('invalid-job');
  });

  it('holds on a sampled large fleet too: nothing outside the grant is ever picked', () => {
    const fleet = largeFleet(240);
    const smallest = Math.min(...fleet.nodes.flatMap((n) => n.devices.map((d) => d.capability.memoryBytes)));
    const limit = `vram<=${smallest}B`;
    let placed = 0;
    for (let i = 0; i < 20; i += 1) {
      const decided = decideJob(
        aJob({ id: `job-${i}`, vramBytesPerDevice: GIB, grantedDeviceClasses: [limit] }),
        fleet,
        { seed: i, placementSample: 16, snapshotDigest: 'fixed' },
      );
      if (decided.decision.kind !== 'place') continue;
      const placement = decided.decision.placement;
      if (placement.target !== 'gpu') continue;
      placed += 1;
      const host = fleet.nodes.find((n) => n.id === placement.nodeId);
      for (const id of placement.deviceIds) {
        expect(host?.devices.find((d) => d.id === id)?.capability.memoryBytes).toBe(smallest);
      }
    }
    expect(placed).toBe(20);
  });
});
