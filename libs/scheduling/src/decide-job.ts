import { admitJob } from './admission.js';
import type { Blocker, Rejection } from './blockers.js';
import { cohortMembers, describeBorrowing, reclaimableJobs, type Borrowing } from './borrowing.js';
import { DEFAULT_BREAKER_CONFIG, type BreakerConfig } from './circuit-breaker.types.js';
import { digestOf } from './canonical-json.js';
import {
  recordDecision,
  replayDecision,
  type DecisionRecord,
  type ReplayVerdict,
} from './decision-record.js';
import { placeJob } from './placement.js';
import type { Placement, PlacementOptions } from './placement.types.js';
import {
  choosePreemption,
  DEFAULT_PREEMPTION_POLICY,
  type PreemptionPlan,
  type PreemptionPolicy,
} from './preemption.js';
import type { FleetSnapshot, JobSpec, PlacementPolicy } from './snapshot.types.js';

export interface SchedulingOptions {
  readonly seed: number | string;
  /** The fleet's policy; a tenant's own policy wins over it. */
  readonly policy?: PlacementPolicy;
  readonly breaker?: BreakerConfig;
  /** `false` turns preemption off. */
  readonly preemption?: PreemptionPolicy | false;
  readonly hotTemperatureC?: number;
  /**
   * Placement scores a sample of this many feasible nodes on a large fleet (see
   * `placeSampled`); absent or 0 scores every node.
   */
  readonly placementSample?: number;
  /**
   * The snapshot's digest, when the caller already has it (see `snapshotDigest`). Hashing a
   * whole fleet costs far more than deciding, so a pass over a queue hashes it once.
   */
  readonly snapshotDigest?: string;
}

/** What a job decision's record digests: the job, the snapshot by digest, and the options. */
export function decisionInputs(job: JobSpec, snapshot: FleetSnapshot, options: SchedulingOptions): unknown {
  const { snapshotDigest: given, ...rest } = options;
  return { job, snapshotDigest: given ?? snapshotDigest(snapshot), options: rest };
}

export function snapshotDigest(snapshot: FleetSnapshot): string {
  return digestOf(snapshot);
}

export type JobDecision =
  | { readonly kind: 'reject'; readonly rejection: Rejection }
  | { readonly kind: 'wait'; readonly blockers: readonly Blocker[] }
  | { readonly kind: 'place'; readonly placement: Placement }
  | { readonly kind: 'preempt'; readonly plan: PreemptionPlan };

export interface DecidedJob {
  readonly decision: JobDecision;
  /** Null when the job was rejected before placement was considered. */
  readonly placementOptions: PlacementOptions | null;
  readonly record: DecisionRecord<JobDecision>;
  /** What the job would borrow from its tenant's cohort to be admitted; empty when nothing. */
  readonly borrowing: readonly Borrowing[];
}

/**
 * The whole decision for one job against one snapshot: admission, placement, and
 * preemption when the job fits nowhere. Pure: the snapshot is read, never changed. The
 * scheduler applies the result; simulate reports it.
 */
export function decideJob(job: JobSpec, snapshot: FleetSnapshot, options: SchedulingOptions): DecidedJob {
  let borrowing: readonly Borrowing[] = [];
  const decision = (d: JobDecision, placementOptions: PlacementOptions | null): DecidedJob => ({
    decision: d,
    placementOptions,
    borrowing,
    record: recordDecision({
      kind: d.kind === 'preempt' ? 'preemption' : d.kind === 'place' ? 'placement' : 'admission',
      atMs: snapshot.nowMs,
      seed: options.seed,
      inputs: decisionInputs(job, snapshot, options),
      choice: d,
      reason: reasonOf(d),
      tenantId: job.tenantId,
      ...(d.kind === 'preempt' ? { affectedTenantIds: d.plan.victims.map((v) => v.tenantId) } : {}),
    }),
  });

  const tenant = snapshot.tenants.find((t) => t.id === job.tenantId);
  const admission = admitJob(job, tenant, {
    nowMs: snapshot.nowMs,
    nodes: snapshot.nodes,
    ...(tenant?.cohort === undefined ? {} : { cohort: cohortMembers(tenant, snapshot.tenants) }),
  });
  if (admission.verdict === 'reject')
    return decision({ kind: 'reject', rejection: admission.rejection }, null);
  if (admission.verdict === 'admit' && admission.borrowing) borrowing = admission.borrowing;

  const placementOptions: PlacementOptions = {
    nowMs: snapshot.nowMs,
    seed: options.seed,
    policy: tenant?.placementPolicy ?? options.policy ?? 'least-loaded',
    deviceClass: admission.deviceClass,
    cpuFallbackPermitted: admission.cpuFallbackPermitted,
    breaker: options.breaker ?? DEFAULT_BREAKER_CONFIG,
    ...(options.hotTemperatureC === undefined ? {} : { hotTemperatureC: options.hotTemperatureC }),
    ...(options.placementSample ? { sampleSize: options.placementSample } : {}),
  };
  if (admission.verdict === 'wait') {
    // Report capacity too, so "why is it pending" is complete, but never preempt for a job
    // its own tenant's quota holds back.
    const capacity = placeJob(job, snapshot, placementOptions);
    const blockers: Blocker[] = [...admission.blockers, ...(capacity.ok ? [] : capacity.blockers)];
    return decision({ kind: 'wait', blockers }, placementOptions);
  }

  const placed = placeJob(job, snapshot, placementOptions);
  if (placed.ok) {
    const placement =
      borrowing.length === 0
        ? placed.placement
        : {
            ...placed.placement,
            reason: `${placed.placement.reason}; ${describeBorrowing(borrowing)}`,
            borrowing,
          };
    return decision({ kind: 'place', placement }, placementOptions);
  }
  if (options.preemption !== false) {
    const plan = choosePreemption(
      job,
      snapshot,
      placementOptions,
      options.preemption ?? DEFAULT_PREEMPTION_POLICY,
      reclaimableJobs(job, snapshot, borrowing.length > 0),
    );
    if (plan) return decision({ kind: 'preempt', plan }, placementOptions);
  }
  return decision({ kind: 'wait', blockers: placed.blockers }, placementOptions);
}

function reasonOf(decision: JobDecision): string {
  switch (decision.kind) {
    case 'reject':
      return decision.rejection.reason;
    case 'wait':
      return decision.blockers.map((b) => b.message).join('; ');
    case 'place':
      return decision.placement.reason;
    case 'preempt':
      return decision.plan.reason;
  }
}

/**
 * Re-runs a logged job decision on the recorded job and snapshot. The snapshot digest is
 * recomputed, never taken from the options, so a replay against the wrong snapshot fails.
 */
export function replayJobDecision(
  record: DecisionRecord<JobDecision>,
  job: JobSpec,
  snapshot: FleetSnapshot,
  options: SchedulingOptions,
): ReplayVerdict {
  const { snapshotDigest: _ignored, ...rest } = options;
  const digest = snapshotDigest(snapshot);
  return replayDecision(
    record,
    decisionInputs(job, snapshot, { ...rest, snapshotDigest: digest }),
    (_inputs, seed) => decideJob(job, snapshot, { ...rest, seed, snapshotDigest: digest }).decision,
  );
}
