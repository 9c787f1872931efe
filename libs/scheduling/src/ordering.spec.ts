import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { buildOrderingContext, compareJobs, orderQueue, type OrderingJob } from './ordering.js';
import { PRIORITY_CLASSES } from './priority.js';
import { aTenant } from './testing/fixtures.js';

const NOW = 10_000_000;
const context = buildOrderingContext(
  [aTenant({ id: 'heavy', decayedUsage: { gpuSeconds: 500, atMs: NOW } }), aTenant({ id: 'light' })],
  NOW,
  42,
);

function job(overrides: Partial<OrderingJob> & { id: string }): OrderingJob {
  return { tenantId: 'light', priority: 'normal', submittedAtMs: 0, ...overrides };
}

function ids(jobs: OrderingJob[]): string[] {
  return orderQueue(jobs, context).map((j) => j.id);
}

describe('ordering', () => {
  it('orders by priority class first', () => {
    expect(
      ids([
        job({ id: 'bg', priority: 'background' }),
        job({ id: 'rt', priority: 'realtime' }),
        job({ id: 'n' }),
      ]),
    ).toEqual(['rt', 'n', 'bg']);
  });

  it('lets a critical-path boost lift a job by a class but never into realtime', () => {
    expect(
      ids([job({ id: 'plain', priority: 'high' }), job({ id: 'boosted', priority: 'low', boost: 1 })]),
    ).toEqual(['plain', 'boosted']);
    expect(
      ids([job({ id: 'plain' }), job({ id: 'boosted', priority: 'low', boost: 1, submittedAtMs: 5 })]),
    ).toEqual(['plain', 'boosted']);
    expect(
      ids([
        job({ id: 'rt', priority: 'realtime', submittedAtMs: 9 }),
        job({ id: 'boosted', priority: 'normal', boost: 5 }),
      ]),
    ).toEqual(['rt', 'boosted']);
  });

  it('puts the earliest deadline first within a class, and jobs with deadlines before those without', () => {
    expect(
      ids([job({ id: 'none' }), job({ id: 'late', deadlineMs: 900 }), job({ id: 'soon', deadlineMs: 100 })]),
    ).toEqual(['soon', 'late', 'none']);
  });

  it('then serves the tenant with less decayed usage', () => {
    expect(
      ids([job({ id: 'h', tenantId: 'heavy' }), job({ id: 'l', tenantId: 'light', submittedAtMs: 50 })]),
    ).toEqual(['l', 'h']);
  });

  it('then the oldest job', () => {
    expect(ids([job({ id: 'young', submittedAtMs: 20 }), job({ id: 'old', submittedAtMs: 10 })])).toEqual([
      'old',
      'young',
    ]);
  });

  it('breaks full ties with the seed, reproducibly', () => {
    const tied = Array.from({ length: 8 }, (_, i) => job({ id: `j${i}` }));
    const once = ids(tied);
    expect(ids([...tied].reverse())).toEqual(once);
    const otherSeed = orderQueue(tied, { ...context, seed: 7 }).map((j) => j.id);
    expect(otherSeed).not.toEqual(once);
  });
});

const jobArb: fc.Arbitrary<OrderingJob> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  tenantId: fc.constantFrom('heavy', 'light', 'unknown'),
  priority: fc.constantFrom(...PRIORITY_CLASSES),
  boost: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  deadlineMs: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  submittedAtMs: fc.integer({ min: 0, max: 5 }),
});

describe('ordering properties', () => {
  const uniqueJobs = fc.uniqueArray(jobArb, { selector: (j) => j.id, maxLength: 25 });

  it('is a total order: antisymmetric, transitive, zero only for the same job', () => {
    fc.assert(
      fc.property(jobArb, jobArb, jobArb, (a, b, c) => {
        const ab = compareJobs(a, b, context);
        expect(Math.sign(ab)).toBe(-Math.sign(compareJobs(b, a, context)));
        if (a.id !== b.id) expect(ab).not.toBe(0);
        if (ab <= 0 && compareJobs(b, c, context) <= 0)
          expect(compareJobs(a, c, context)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same order whatever order the queue arrives in', () => {
    fc.assert(
      fc.property(
        uniqueJobs.chain((jobs) =>
          fc.tuple(fc.constant(jobs), fc.shuffledSubarray(jobs, { minLength: jobs.length })),
        ),
        ([jobs, shuffled]) => {
          expect(orderQueue(shuffled, context).map((j) => j.id)).toEqual(
            orderQueue(jobs, context).map((j) => j.id),
          );
          const tenants = [
            aTenant({ id: 'heavy', decayedUsage: { gpuSeconds: 500, atMs: NOW } }),
            aTenant({ id: 'light' }),
          ];
          const fromJobs = buildOrderingContext(tenants, NOW, 42, undefined, jobs);
          const fromShuffled = buildOrderingContext(tenants, NOW, 42, undefined, shuffled);
          expect(orderQueue(shuffled, fromShuffled).map((j) => j.id)).toEqual(
            orderQueue(jobs, fromJobs).map((j) => j.id),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('fair share within one pass', () => {
  it('interleaves a burst with another tenant’s job instead of serving the whole burst first', () => {
    const tenants = [
      aTenant({ id: 'bursty' }),
      aTenant({ id: 'quiet', decayedUsage: { gpuSeconds: 100, atMs: NOW } }),
    ];
    const burst = Array.from({ length: 5 }, (_, i) => ({
      ...job({ id: `b${i}`, tenantId: 'bursty', submittedAtMs: i }),
      estimatedDurationMs: 60_000,
      gpus: 1,
    }));
    const quiet = {
      ...job({ id: 'q', tenantId: 'quiet', submittedAtMs: 99 }),
      estimatedDurationMs: 60_000,
      gpus: 1,
    };
    const queue = [...burst, quiet];
    const perJob = buildOrderingContext(tenants, NOW, 1, undefined, queue);
    expect(orderQueue(queue, perJob).map((j) => j.id)).toEqual(['b0', 'b1', 'q', 'b2', 'b3', 'b4']);
    const perTenantOnly = buildOrderingContext(tenants, NOW, 1);
    expect(orderQueue(queue, perTenantOnly).map((j) => j.id)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'q']);
  });

  it('still orders a tenant’s own jobs by age', () => {
    const queue = [job({ id: 'young', submittedAtMs: 9 }), job({ id: 'old', submittedAtMs: 1 })];
    const context = buildOrderingContext([aTenant({ id: 'light' })], NOW, 1, undefined, queue);
    expect(orderQueue(queue, context).map((j) => j.id)).toEqual(['old', 'young']);
  });
});
