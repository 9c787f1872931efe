import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { admitJob } from './admission.js';
import { effectiveQuota, submissionsInWindow } from './quota.js';
import type { JobSpec, TenantQuota, TenantSnapshot, TenantUsage } from './snapshot.types.js';
import { chargeAdmission, releaseCompletion, reservedGpuSeconds } from './tenant-usage.js';
import { aDevice, aJob, aNode, aTenant, anEdition, EMPTY_USAGE } from './testing/fixtures.js';
import { GIB } from './units.js';

const quotaArb: fc.Arbitrary<TenantQuota> = fc.record({
  vramBytesPerDevice: fc.integer({ min: 1, max: 16 }).map((g) => g * GIB),
  vramBytesTotal: fc.integer({ min: 1, max: 64 }).map((g) => g * GIB),
  gpus: fc.integer({ min: 1, max: 8 }),
  concurrentJobs: fc.integer({ min: 1, max: 6 }),
  jobsPerMinute: fc.integer({ min: 1, max: 10 }),
  gpuSecondsPerDay: fc.integer({ min: 1, max: 2_000 }),
  trackingStreams: fc.integer({ min: 0, max: 3 }),
});

type Step =
  | { kind: 'submit'; gib: number; gpus: number; seconds: number; stream: boolean; advanceMs: number }
  | { kind: 'complete'; pick: number; usedShare: number; advanceMs: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('submit' as const),
    gib: fc.integer({ min: 0, max: 20 }),
    gpus: fc.integer({ min: 1, max: 4 }),
    seconds: fc.integer({ min: 1, max: 600 }),
    stream: fc.boolean(),
    advanceMs: fc.integer({ min: 0, max: 20_000 }),
  }),
  fc.record({
    kind: fc.constant('complete' as const),
    pick: fc.nat(),
    usedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    advanceMs: fc.integer({ min: 0, max: 20_000 }),
  }),
);

const bigNode = aNode({ devices: Array.from({ length: 8 }, (_, i) => aDevice({ id: `gpu-${i}` })) });

function assertWithinQuota(usage: TenantUsage, quota: TenantQuota, nowMs: number): void {
  expect(usage.vramBytes).toBeLessThanOrEqual(quota.vramBytesTotal);
  expect(usage.gpus).toBeLessThanOrEqual(quota.gpus);
  expect(usage.runningJobs).toBeLessThanOrEqual(quota.concurrentJobs);
  expect(usage.trackingStreams).toBeLessThanOrEqual(quota.trackingStreams);
  expect(usage.gpuSecondsToday).toBeLessThanOrEqual(quota.gpuSecondsPerDay + 1e-9);
  expect(submissionsInWindow(usage.recentSubmissionsMs, nowMs).length).toBeLessThanOrEqual(
    quota.jobsPerMinute,
  );
}

describe('admission property', () => {
  it('no tenant exceeds any quota in any sequence of submissions and completions', () => {
    fc.assert(
      fc.property(quotaArb, quotaArb, fc.array(stepArb, { maxLength: 60 }), (own, ceiling, steps) => {
        let tenant: TenantSnapshot = aTenant({
          quota: own,
          edition: anEdition({ ceiling }),
          usage: EMPTY_USAGE,
        });
        const limits = effectiveQuota(tenant);
        const running: JobSpec[] = [];
        let nowMs = 1_000_000;
        let counter = 0;
        for (const step of steps) {
          nowMs += step.advanceMs;
          if (step.kind === 'submit') {
            const job = aJob({
              id: `job-${counter++}`,
              vramBytesPerDevice: step.gib * GIB,
              gpus: step.gpus,
              estimatedDurationMs: step.seconds * 1000,
              opensTrackingStream: step.stream,
            });
            const decision = admitJob(job, tenant, { nowMs, nodes: [bigNode] });
            if (decision.verdict === 'admit') {
              expect(job.vramBytesPerDevice).toBeLessThanOrEqual(limits.vramBytesPerDevice);
              tenant = { ...tenant, usage: chargeAdmission(tenant.usage, job, nowMs) };
              running.push(job);
            }
          } else if (running.length > 0) {
            const [job] = running.splice(step.pick % running.length, 1);
            if (job)
              tenant = {
                ...tenant,
                usage: releaseCompletion(tenant.usage, job, reservedGpuSeconds(job) * step.usedShare),
              };
          }
          assertWithinQuota(tenant.usage, limits, nowMs);
          // The accounting must describe the jobs really running, or the check above proves nothing.
          expect(tenant.usage.runningJobs).toBe(running.length);
          expect(tenant.usage.gpus).toBe(running.reduce((sum, j) => sum + j.gpus, 0));
        }
      }),
      { numRuns: 300 },
    );
  });
});
