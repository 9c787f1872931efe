import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson, digestOf, sha256Hex } from './canonical-json.js';
import { decideJob } from './decide-job.js';
import { DEFAULT_FAIR_SHARE_HALF_LIFE_MS } from './fair-share.js';
import { buildOrderingContext, compareStrings, orderQueue } from './ordering.js';
import { placeJob } from './placement.js';
import { schedulePass, type PassOptions } from './schedule-pass.js';
import { seededDrawAfter, seededUnit, seededUnitsAfter } from './seeded-random.js';
import type { FleetSnapshot, JobSpec } from './snapshot.types.js';
import { applyPlacement } from './snapshot-updates.js';
import { applyStopping } from './stop-holds.js';
import { deepFreeze } from './testing/deep-freeze.js';
import { aJob } from './testing/fixtures.js';
import { fleetArb, planArb } from './testing/fleet-arbitraries.js';
import { placementOptions } from './testing/placement-options.js';

/** The pass as first written: a fresh snapshot per placement through applyPlacement. */
function referencePass(snapshot: FleetSnapshot, queue: readonly JobSpec[], options: PassOptions) {
  const canonicalQueue = [...queue].sort((a, b) => compareStrings(a.id, b.id));
  // Running jobs enter as the digest of their digests, written out here without any cache.
  const running = sha256Hex(snapshot.running.map((job) => digestOf(job)).join(','));
  const passDigest = digestOf({ snapshot: { ...snapshot, running }, queue: canonicalQueue, options });
  const context = buildOrderingContext(
    snapshot.tenants,
    snapshot.nowMs,
    options.seed,
    options.halfLifeMs ?? DEFAULT_FAIR_SHARE_HALF_LIFE_MS,
    queue,
  );
  let working = snapshot;
  const decisions = orderQueue(queue, context).map((job, position) => {
    const { decision, record } = decideJob(job, working, {
      ...options,
      snapshotDigest: `${passDigest}#${position}`,
    });
    if (decision.kind === 'place')
      working = applyPlacement(working, job, decision.placement, options.breaker);
    if (decision.kind === 'preempt') {
      working = applyStopping(
        working,
        decision.plan.victims.filter((v) => !v.stopping).map((v) => v.jobId),
      );
    }
    return { jobId: job.id, decision, record };
  });
  return { passDigest, decisions, snapshot: working };
}

/** Fleets whose nodes also offer CPU slots, several of them equal, so CPU ties are drawn. */
const fleetWithCpuArb = fc
  .tuple(fleetArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }))
  .map(([fleet, free]) => ({
    ...fleet,
    nodes: fleet.nodes.map((node, i) => ({ ...node, cpuSlots: { total: 4, free: free[i] ?? 0 } })),
  }));

const queueArb = fc
  .array(fc.tuple(planArb, fc.boolean(), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 12 })
  .map((plans) =>
    plans.map(([plan, preemptible, age], i) =>
      aJob({
        id: `q${String(i).padStart(2, '0')}`,
        tenantId: plan.tenantId,
        vramBytesPerDevice: plan.vramBytesPerDevice,
        gpus: plan.gpus,
        priority: plan.priority,
        preemptible,
        cpuFallbackAllowed: plan.cpuFallbackAllowed,
        submittedAtMs: age,
        ...(plan.estimatedDurationMs === undefined ? {} : { estimatedDurationMs: plan.estimatedDurationMs }),
        ...(plan.affinity ? { affinity: plan.affinity } : {}),
      }),
    ),
  );

describe('schedulePass in place', () => {
  it('decides exactly as a pass that copies the snapshot for every placement, leaving its input as it was', () => {
    fc.assert(
      fc.property(
        fc.oneof(fleetArb, fleetWithCpuArb),
        queueArb,
        fc.string({ maxLength: 4 }),
        (fleet, queue, seed) => {
          const options: PassOptions = { seed };
          const before = canonicalJson(fleet);
          const pass = schedulePass(deepFreeze(structuredClone(fleet)), queue, options);
          const reference = referencePass(fleet, queue, options);
          expect(pass.passDigest).toBe(reference.passDigest);
          expect(canonicalJson(pass.decisions)).toBe(canonicalJson(reference.decisions));
          expect(canonicalJson(pass.snapshot)).toBe(canonicalJson(reference.snapshot));
          expect(canonicalJson(fleet)).toBe(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('CPU fallback placement', () => {
  it('picks the most free slots, then the lowest seeded draw, then the id, as a full sort would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.string({ maxLength: 4 }),
        (slots, seed) => {
          const fleet: FleetSnapshot = {
            nowMs: 0,
            tenants: [],
            running: [],
            nodes: slots.map(([free, total], i) => ({
              id: `n${i}`,
              state: 'ready',
              devices: [],
              cpuSlots: { total, free: Math.min(free, total) },
            })),
          };
          const job = aJob({ id: 'cpu-job', cpuFallbackAllowed: true });
          const placed = placeJob(job, fleet, placementOptions({ seed, cpuFallbackPermitted: true }));
          const expected = fleet.nodes
            .filter((n) => (n.cpuSlots?.free ?? 0) > 0)
            .map((n) => ({
              id: n.id,
              score: Math.round(((n.cpuSlots?.free ?? 0) / (n.cpuSlots?.total ?? 1)) * 1e9) / 1e9,
              draw: seededUnit(seed, 'cpu', job.id, n.id),
            }))
            .sort((a, b) => b.score - a.score || a.draw - b.draw || compareStrings(a.id, b.id))[0];
          if (!expected) expect(placed.ok).toBe(false);
          else expect(placed.ok && placed.placement.nodeId).toBe(expected.id);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('seededUnitsAfter', () => {
  it('draws exactly what seededUnit draws for the joined keys', () => {
    const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.integer());
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
        fc.array(key, { maxLength: 3 }),
        fc.array(key, { minLength: 1, maxLength: 3 }),
        (seed, prefix, rest) => {
          expect(seededUnitsAfter(seed, ...prefix)(...rest)).toBe(seededUnit(seed, ...prefix, ...rest));
          const key = rest.map(String).join('\u0000');
          expect(seededDrawAfter(seed, ...prefix)(key)).toBe(seededUnit(seed, ...prefix, key));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
