import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { advanceWorkflow } from './dag-progress.js';
import { validateWorkflow } from './dag-validation.js';
import { createRandom } from './seeded-random.js';
import type { EdgeFailurePolicy, WorkflowNodeState, WorkflowSpec } from './workflow.types.js';
import { TERMINAL_NODE_STATES } from './workflow.types.js';

const POLICIES: EdgeFailurePolicy[] = ['fail-workflow', 'skip-dependents', 'continue'];

/** Any directed graph on `size` nodes; edges may point backwards, so cycles happen. */
const graphArb = fc.integer({ min: 1, max: 12 }).chain((size) =>
  fc
    .uniqueArray(fc.tuple(fc.nat(size - 1), fc.nat(size - 1), fc.constantFrom(...POLICIES)), {
      selector: ([from, to]) => `${from}-${to}`,
      maxLength: size * 2,
    })
    .map((edges): WorkflowSpec => ({
      nodes: Array.from({ length: size }, (_, i) => ({
        id: `j${i}`,
        dependsOn: edges
          .filter(([, to]) => to === i)
          .map(([from, , onFailure]) => ({ jobId: `j${from}`, onFailure })),
      })),
    })),
);

describe('workflow properties', () => {
  it('a reported cycle is made of real edges, and a graph without one gets a full topological order', () => {
    fc.assert(
      fc.property(graphArb, (spec) => {
        const result = validateWorkflow(spec);
        const parentsOf = new Map(spec.nodes.map((n) => [n.id, new Set(n.dependsOn.map((d) => d.jobId))]));
        if (!result.ok) {
          const cycle = result.errors[0]?.cycle ?? [];
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          for (let i = 0; i + 1 < cycle.length; i += 1) {
            expect(parentsOf.get(cycle[i + 1] ?? '')?.has(cycle[i] ?? '')).toBe(true);
          }
          return;
        }
        const position = new Map(result.order.map((id, i) => [id, i]));
        expect(result.order).toHaveLength(spec.nodes.length);
        for (const node of spec.nodes) {
          for (const dep of node.dependsOn)
            expect(position.get(dep.jobId)).toBeLessThan(position.get(node.id) ?? -1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('every admitted DAG runs each job only after its parents, as its edges allow, and finishes', () => {
    fc.assert(
      fc.property(graphArb, fc.integer(), (spec, seed) => {
        if (!validateWorkflow(spec).ok) return;
        const random = createRandom(seed);
        const state: Record<string, WorkflowNodeState> = {};
        const byId = new Map(spec.nodes.map((n) => [n.id, n]));
        for (let step = 0; step < 200; step += 1) {
          const progress = advanceWorkflow(spec, state);
          for (const id of progress.skip) state[id] = 'skipped';
          for (const id of progress.cancel) state[id] = 'cancelled';
          for (const id of progress.ready) {
            if (random() < 0.5) continue;
            for (const dep of byId.get(id)?.dependsOn ?? []) {
              const parent = state[dep.jobId] ?? 'pending';
              expect(TERMINAL_NODE_STATES.has(parent)).toBe(true);
              if (parent !== 'succeeded') expect(dep.onFailure).toBe('continue');
            }
            state[id] = 'running';
          }
          const running = Object.keys(state).filter((id) => state[id] === 'running');
          const finishing = running[Math.floor(random() * running.length)];
          if (finishing !== undefined) state[finishing] = random() < 0.8 ? 'succeeded' : 'failed';
          if (progress.status !== 'running' && running.length === 0) {
            if (progress.status === 'succeeded')
              expect(spec.nodes.every((n) => TERMINAL_NODE_STATES.has(state[n.id] ?? 'pending'))).toBe(true);
            return;
          }
        }
        throw new Error('workflow did not finish within 200 steps');
      }),
      { numRuns: 300 },
    );
  });
});
