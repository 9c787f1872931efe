import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.js';
import { PRIORITY_CLASSES } from './priority.js';
import { simulate } from './simulate.js';
import { deepFreeze } from './testing/deep-freeze.js';
import { fleetArb, planArb } from './testing/fleet-arbitraries.js';

describe('simulate properties', () => {
  it('never mutates its input, and answers the same way twice and whatever order rows arrive in', () => {
    fc.assert(
      fc.property(fleetArb, planArb, fc.integer(), (fleet, plan, seed) => {
        const before = canonicalJson(fleet);
        const frozen = deepFreeze(fleet);
        const first = simulate(frozen, deepFreeze(plan), { seed });
        expect(canonicalJson(frozen)).toBe(before);
        expect(simulate(frozen, plan, { seed })).toEqual(first);
        expect(first.dryRun).toBe(true);
        const shuffled = {
          ...fleet,
          nodes: [...fleet.nodes].reverse(),
          running: [...fleet.running].reverse(),
        };
        const { decision: _ignored, ...answer } = first;
        const { decision: _again, ...answerFromShuffled } = simulate(shuffled, plan, { seed });
        expect(answerFromShuffled).toEqual(answer);
        if (first.outcome === 'rejected') expect(first.rejection).not.toBeNull();
        if (first.outcome === 'would-wait') expect(first.blockers.length).toBeGreaterThan(0);
        if (first.outcome === 'would-preempt') expect(first.preempted.length).toBeGreaterThan(0);
        for (const victim of first.preempted) {
          const running = fleet.running.find((r) => r.jobId === victim.jobId);
          expect(running?.preemptible).toBe(true);
          expect(PRIORITY_CLASSES.indexOf(running?.priority ?? 'realtime')).toBeGreaterThan(
            PRIORITY_CLASSES.indexOf(plan.priority),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
