import { describe, expect, it } from '@jest/globals';
import { admitJob, type AdmissionDecision } from './admission.js';
import { chargeAdmission } from './tenant-usage.js';
import type { QuotaBlocker } from './blockers.js';
import type { JobSpec, NodeSnapshot, TenantSnapshot } from './snapshot.types.js';
import {
  AMPERE_40G,
  aDevice,
  aJob,
  aNode,
  aTenant,
  anEdition,
  EMPTY_USAGE,
  GENEROUS_QUOTA,
} from './testing/fixtures.js';
import { GIB } from './units.js';

const NOW = 1_000_000;

function admit(
  job: JobSpec,
  tenant: TenantSnapshot = aTenant(),
  nodes: NodeSnapshot[] = [aNode()],
): AdmissionDecision {
  return admitJob(job, tenant, { nowMs: NOW, nodes });
}

function blockers(decision: AdmissionDecision): readonly QuotaBlocker[] {
  if (decision.verdict !== 'wait') throw new Error(`expected wait, got ${decision.verdict}`);
  return decision.blockers;
}

function rejection(decision: AdmissionDecision): { code: string; reason: string } {
  if (decision.verdict !== 'reject') throw new Error(`expected reject, got ${decision.verdict}`);
  return decision.rejection;
}

describe('admitJob: refusals', () => {
  it('admits a job that fits every quota', () => {
    expect(admit(aJob()).verdict).toBe('admit');
  });

  it('refuses an unknown or suspended tenant', () => {
    expect(rejection(admitJob(aJob(), undefined, { nowMs: NOW, nodes: [aNode()] })).code).toBe(
      'unknown-tenant',
    );
    expect(rejection(admit(aJob({ tenantId: 'other' }))).code).toBe('unknown-tenant');
    expect(rejection(admit(aJob(), aTenant({ suspended: true }))).code).toBe('tenant-suspended');
  });

  it('refuses malformed jobs and bad device classes, naming the token', () => {
    expect(rejection(admit(aJob({ gpus: 0 }))).code).toBe('invalid-job');
    expect(rejection(admit(aJob({ gpus: 1.5 }))).code).toBe('invalid-job');
    expect(rejection(admit(aJob({ vramBytesPerDevice: -1 }))).code).toBe('invalid-job');
    expect(rejection(admit(aJob({ priority: 'urgent' as never }))).reason).toContain(
      'priority must be one of',
    );
    expect(rejection(admit(aJob({ deadlineMs: Number.NaN }))).code).toBe('invalid-job');
    expect(rejection(admit(aJob(), aTenant(), [])).reason).toBe('no nodes are registered');
    const bad = rejection(admit(aJob({ affinity: { deviceClass: 'sm_90+,fast' } })));
    expect(bad.code).toBe('invalid-job');
    expect(bad.reason).toContain('"fast"');
  });

  it('checks edition feature flags', () => {
    const community = anEdition({
      name: 'community',
      features: { multiGpu: false, signedCustomKernels: false, trackingStreams: false, cpuFallback: false },
    });
    const tenant = aTenant({ edition: community });
    const twoGpus = aNode({ devices: [aDevice({ id: 'gpu-0' }), aDevice({ id: 'gpu-1' })] });
    expect(rejection(admit(aJob({ gpus: 2 }), tenant, [twoGpus])).reason).toContain('multi-GPU');
    expect(rejection(admit(aJob({ kernel: { name: 'mine', custom: true } }), tenant)).reason).toContain(
      'custom',
    );
    expect(rejection(admit(aJob({ opensTrackingStream: true }), tenant)).code).toBe('feature-disabled');
    expect(rejection(admit(aJob({ affinity: { sameNodeAsStream: 's1' } }), tenant)).code).toBe(
      'feature-disabled',
    );
  });

  it('does not reject a job for allowing CPU fallback, but does not grant it without the feature', () => {
    const noFallback = aTenant({
      edition: anEdition({ features: { ...anEdition().features, cpuFallback: false } }),
    });
    const decision = admit(aJob({ cpuFallbackAllowed: true }), noFallback);
    expect(decision).toMatchObject({ verdict: 'admit', cpuFallbackPermitted: false });
    expect(admit(aJob({ cpuFallbackAllowed: true }))).toMatchObject({
      verdict: 'admit',
      cpuFallbackPermitted: true,
    });
  });

  it('refuses a job whose deadline has passed', () => {
    expect(rejection(admit(aJob({ deadlineMs: NOW }))).code).toBe('deadline-passed');
  });

  it('refuses a job bigger than the tenant quota, and says it is the quota', () => {
    const tenant = aTenant({ quota: { ...GENEROUS_QUOTA, vramBytesPerDevice: 16 * GIB } });
    const refused = rejection(admit(aJob({ vramBytesPerDevice: 24 * GIB }), tenant));
    expect(refused.code).toBe('exceeds-quota');
    expect(refused.reason).toBe('vramBytesPerDevice: job needs 24 GiB, tenant quota is 16 GiB');
  });

  it('caps a tenant quota at its edition ceiling and says so', () => {
    const edition = anEdition({ name: 'community', ceiling: { ...GENEROUS_QUOTA, gpus: 2 } });
    const tenant = aTenant({ edition, quota: { ...GENEROUS_QUOTA, gpus: 8 } });
    const node = aNode({ devices: ['a', 'b', 'c', 'd'].map((id) => aDevice({ id })) });
    const refused = rejection(admit(aJob({ gpus: 4 }), tenant, [node]));
    expect(refused.code).toBe('exceeds-edition-ceiling');
    expect(refused.reason).toContain('edition community ceiling is 2');
  });

  it('refuses a job bigger than any device, or than the GPUs of any one node', () => {
    const small = [aNode({ devices: [aDevice({ capability: AMPERE_40G })] })];
    expect(rejection(admit(aJob({ vramBytesPerDevice: 48 * GIB }), aTenant(), small)).reason).toBe(
      'needs 48 GiB per device; the largest matching device in the fleet has 40 GiB',
    );
    const split = [aNode({ id: 'n1' }), aNode({ id: 'n2' })];
    expect(rejection(admit(aJob({ gpus: 2 }), aTenant(), split)).reason).toContain(
      'needs 2 matching GPUs on one node',
    );
    expect(rejection(admit(aJob({ affinity: { deviceClass: 'sm_100+' } }))).reason).toContain(
      'matches device class sm_100+',
    );
    expect(rejection(admit(aJob({ affinity: { nodeId: 'nope' } }))).reason).toContain('unknown node nope');
  });

  it('still admits when only lost or cordoned nodes could run it: they may come back', () => {
    expect(admit(aJob(), aTenant(), [aNode({ state: 'lost' })]).verdict).toBe('admit');
  });

  it('lets CPU fallback make an oversized job possible', () => {
    const node = aNode({ devices: [aDevice({ capability: AMPERE_40G })], cpuSlots: { total: 4, free: 0 } });
    expect(
      admit(aJob({ vramBytesPerDevice: 48 * GIB, cpuFallbackAllowed: true }), aTenant(), [node]).verdict,
    ).toBe('admit');
  });
});

describe('admitJob: waiting on quotas', () => {
  it('says which quota blocks and by how much', () => {
    const tenant = aTenant({
      quota: { ...GENEROUS_QUOTA, vramBytesTotal: 32 * GIB, gpus: 4, concurrentJobs: 3 },
      usage: { ...EMPTY_USAGE, vramBytes: 28 * GIB, gpus: 3, runningJobs: 3 },
    });
    const found = blockers(admit(aJob({ vramBytesPerDevice: 8 * GIB }), tenant));
    expect(found.map((b) => [b.quota, b.shortfall])).toEqual([
      ['vramBytesTotal', 4 * GIB],
      ['concurrentJobs', 1],
    ]);
    expect(found[0]?.message).toBe('vramBytesTotal: 28 GiB used + 8 GiB requested exceeds 32 GiB by 4 GiB');
  });

  it('counts only submissions inside the last minute and says when the rate clears', () => {
    const tenant = aTenant({
      quota: { ...GENEROUS_QUOTA, jobsPerMinute: 3 },
      usage: {
        ...EMPTY_USAGE,
        recentSubmissionsMs: [NOW - 70_000, NOW - 50_000, NOW - 20_000, NOW - 10_000],
      },
    });
    const [rate] = blockers(admit(aJob(), tenant));
    expect(rate).toMatchObject({ quota: 'jobsPerMinute', used: 3, shortfall: 1, clearsAtMs: NOW + 10_000 });
    const fresh = aTenant({
      ...tenant,
      usage: { ...tenant.usage, recentSubmissionsMs: [NOW - 70_000, NOW - 20_000] },
    });
    expect(admit(aJob(), fresh).verdict).toBe('admit');
  });

  it('leaves a tracking stream’s frame-set jobs out of the rate, and their placements too', () => {
    const full = aTenant({
      quota: { ...GENEROUS_QUOTA, jobsPerMinute: 2 },
      usage: { ...EMPTY_USAGE, recentSubmissionsMs: [NOW - 20_000, NOW - 10_000] },
    });
    const frameSet = aJob({ affinity: { sameNodeAsStream: 'stream-1' } });
    expect(blockers(admit(aJob(), full))[0]).toMatchObject({ quota: 'jobsPerMinute' });
    expect(admit(frameSet, full).verdict).toBe('admit');
    expect(chargeAdmission(full.usage, frameSet, NOW).recentSubmissionsMs).toEqual(
      full.usage.recentSubmissionsMs,
    );
    expect(chargeAdmission(full.usage, aJob(), NOW).recentSubmissionsMs).toHaveLength(3);
  });

  it('reserves the estimate against the daily GPU-second budget', () => {
    const tenant = aTenant({
      quota: { ...GENEROUS_QUOTA, gpuSecondsPerDay: 100 },
      usage: { ...EMPTY_USAGE, gpuSecondsToday: 90, dayResetsAtMs: NOW + 5_000 },
    });
    const [budget] = blockers(admit(aJob({ estimatedDurationMs: 20_000 }), tenant));
    expect(budget).toMatchObject({ quota: 'gpuSecondsPerDay', shortfall: 10, clearsAtMs: NOW + 5_000 });
    expect(admit(aJob({ estimatedDurationMs: 10_000 }), tenant).verdict).toBe('admit');
    expect(rejection(admit(aJob({ estimatedDurationMs: 200_000 }), tenant)).code).toBe('exceeds-quota');
  });

  it('holds back even an unestimated job once the daily budget is spent', () => {
    const tenant = aTenant({
      quota: { ...GENEROUS_QUOTA, gpuSecondsPerDay: 100 },
      usage: { ...EMPTY_USAGE, gpuSecondsToday: 100 },
    });
    expect(blockers(admit(aJob(), tenant))[0]?.quota).toBe('gpuSecondsPerDay');
  });

  it('counts tracking streams only for jobs that open one', () => {
    const tenant = aTenant({
      quota: { ...GENEROUS_QUOTA, trackingStreams: 1 },
      usage: { ...EMPTY_USAGE, trackingStreams: 1 },
    });
    expect(admit(aJob(), tenant).verdict).toBe('admit');
    expect(blockers(admit(aJob({ opensTrackingStream: true }), tenant))[0]?.quota).toBe('trackingStreams');
  });
});
