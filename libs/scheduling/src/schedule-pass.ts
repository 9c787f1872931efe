import { digestOf, listDigest } from './canonical-json.js';
import { decideJob, type JobDecision, type SchedulingOptions } from './decide-job.js';
import type { DecisionRecord } from './decision-record.js';
import { DEFAULT_FAIR_SHARE_HALF_LIFE_MS } from './fair-share.js';
import { buildOrderingContext, compareStrings, orderQueue } from './ordering.js';
import type { Victim } from './preemption.js';
import { releaseQueueClaim, withQueueClaims } from './borrowing.js';
import type { FleetSnapshot, JobSpec } from './snapshot.types.js';
import { ownedBy, placeInPass, settled, type PassSnapshot } from './snapshot-updates.js';
import { applyStopping } from './stop-holds.js';
import { attachFleetIndex } from './fleet-index.js';
import { canonicalJson } from './canonical-json.js';

export interface PassOptions extends Omit<SchedulingOptions, 'snapshotDigest'> {
  readonly halfLifeMs?: number;
}

export interface PassDecision {
  readonly jobId: string;
  readonly decision: JobDecision;
  readonly record: DecisionRecord<JobDecision>;
}

export interface SchedulingPass {
  /** Digest of the snapshot, queue and options the pass started from. */
  readonly passDigest: string;
  /** One per queued job, in the order they were considered. */
  readonly decisions: readonly PassDecision[];
  /**
   * Jobs preempted during the pass; the caller tells their nodes to stop them and requeues
   * them (from their checkpoints). Their room stays held until the stops are confirmed.
   */
  readonly requeue: readonly Victim[];
  /** The snapshot as the pass left it, every placement and preemption applied. */
  readonly snapshot: FleetSnapshot;
}

/**
 * One scheduling tick: order the queue, then decide each job against a snapshot that already
 * holds the placements made earlier in the pass, so two jobs are never given the same room.
 * Each record names the pass and its position instead of re-hashing the changing fleet;
 * `replayPass` re-runs the pass to check a log.
 */
export function schedulePass(
  snapshot: FleetSnapshot,
  queue: readonly JobSpec[],
  options: PassOptions,
): SchedulingPass {
  const steps = passSteps(snapshot, queue, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Decisions a pass makes between two yields of `passSteps`. */
export const PASS_STEP = 128;

/**
 * `schedulePass` in steps: the generator yields the number of jobs decided so far after every
 * `PASS_STEP` decisions and returns the pass, the same pass `schedulePass` returns. A
 * scheduler deciding thousands of jobs can let other work (the previous pass's transaction,
 * reports, dispatches) run between steps; nothing the pass reads changes in between, as it
 * decides against its own copy of the snapshot.
 */
export function* passSteps(
  snapshot: FleetSnapshot,
  queue: readonly JobSpec[],
  options: PassOptions,
): Generator<number, SchedulingPass, void> {
  const passDigest = passInputsDigest(snapshot, queue, options);
  const context = buildOrderingContext(
    snapshot.tenants,
    snapshot.nowMs,
    options.seed,
    options.halfLifeMs ?? DEFAULT_FAIR_SHARE_HALF_LIFE_MS,
    queue,
  );
  const decisions: PassDecision[] = [];
  const requeue: Victim[] = [];
  // The pass works on its own copy of the lists, updated in place: copying them for each
  // placement made a pass quadratic in the fleet's running jobs.
  let working = indexed(ownedBy(snapshot));
  const claims = withQueueClaims(working.tenants, queue);
  const ordered = orderQueue(queue, context);
  for (let position = 0; position < ordered.length; position += 1) {
    const job = ordered[position] as JobSpec;
    const { decision, record } = decideJob(job, working, {
      ...options,
      snapshotDigest: `${passDigest}#${position}`,
    });
    decisions.push({ jobId: job.id, decision, record });
    if (claims && (decision.kind === 'place' || decision.kind === 'reject'))
      releaseQueueClaim(working.tenants, job);
    if (decision.kind === 'place') {
      placeInPass(working, job, decision.placement, options.breaker);
    } else if (decision.kind === 'preempt') {
      // The victims are told to stop and keep their room until their nodes confirm; the job
      // that preempted them waits for it (a later pass places it).
      const told = decision.plan.victims.filter((v) => !v.stopping);
      requeue.push(...told);
      working = indexed(
        ownedBy(
          applyStopping(
            settled(working),
            told.map((v) => v.jobId),
          ),
        ),
      );
    }
    if ((position + 1) % PASS_STEP === 0 && position + 1 < ordered.length) yield position + 1;
  }
  return { passDigest, decisions, requeue, snapshot: settled(working) };
}

/**
 * The pass's node list with a `FleetIndex` attached: placement finds candidates, admission
 * its fleet check and each placement its node without walking the fleet for every job.
 */
function indexed(working: PassSnapshot): PassSnapshot {
  attachFleetIndex(working.nodes, working.running, working.nowMs);
  return working;
}

/**
 * What a pass's decisions are recorded against: the snapshot, the queue and the options. The
 * running jobs, by far the longest part of a snapshot, enter as the digest of their digests
 * (`listDigest`), so entries that stay the same from pass to pass are not hashed again. The
 * queue is digested in id order: decisions do not depend on the order rows arrived in, so
 * neither should the digest that a replay must match.
 */
export function passInputsDigest(
  snapshot: FleetSnapshot,
  queue: readonly JobSpec[],
  options: PassOptions,
): string {
  const canonicalQueue = [...queue].sort((a, b) => compareStrings(a.id, b.id));
  return digestOf({
    snapshot: { ...snapshot, running: listDigest(snapshot.running) },
    queue: canonicalQueue,
    options,
  });
}

export type PassReplayVerdict =
  { readonly ok: true } | { readonly ok: false; readonly position: number; readonly detail: string };

/** Re-runs a pass from its recorded inputs and compares every decision with the log. */
export function replayPass(
  logged: readonly DecisionRecord<JobDecision>[],
  snapshot: FleetSnapshot,
  queue: readonly JobSpec[],
  options: PassOptions,
): PassReplayVerdict {
  const again = schedulePass(snapshot, queue, options).decisions;
  if (again.length !== logged.length) {
    return {
      ok: false,
      position: Math.min(again.length, logged.length),
      detail: `log has ${logged.length} decisions, replay ${again.length}`,
    };
  }
  for (let i = 0; i < logged.length; i += 1) {
    const recorded = logged[i];
    const replayed = again[i];
    if (!recorded || !replayed) continue;
    if (recorded.inputsDigest !== replayed.record.inputsDigest) {
      return { ok: false, position: i, detail: 'inputs differ from the log' };
    }
    if (canonicalJson(recorded.choice) !== canonicalJson(replayed.decision)) {
      return { ok: false, position: i, detail: `replay chose ${canonicalJson(replayed.decision)}` };
    }
  }
  return { ok: true };
}
