import {
  checkDeadlines,
  countsTowardRate,
  passSteps,
  stopHoldOf,
  type FleetSnapshot,
  type NodeSnapshot,
  type PassOptions,
  type SchedulingPass,
} from '@voxelfleet/scheduling';
import type { JobStop } from '@voxelfleet/contracts';
import type { Logger } from 'pino';
import { appendDecisionAudit } from '../audit/decision-audit.js';
import type { DecisionLog } from '../decisions/decision-log.js';
import type { Dispatcher, DispatchOrder } from '../dispatch/dispatcher.js';
import type { FleetRegistryService } from '../fleet/fleet-registry.service.js';
import type { NodeHistory } from '../fleet/node-history.js';
import type { ActiveJobs } from '../jobs/active-jobs.js';
import { toJobSpec } from '../jobs/job-row.js';
import type { FinishedJob, JobStore, PreemptedRun } from '../jobs/job-store.js';
import type { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import type { TenantView } from '../tenants/tenant-view.js';
import { passBatch } from './pass-size.js';
import { heldBy, leavingQueue, passWrites, placementAudit } from './pass-writes.js';

export interface PassRunnerDeps {
  store: JobStore;
  active: ActiveJobs;
  fleet: FleetRegistryService;
  nodeHistory: NodeHistory;
  tenants: TenantView;
  dispatcher: Dispatcher;
  decisions: DecisionLog;
  metrics: SchedulerMetrics;
  logger: Logger;
  options: PassOptions;
  batchSize: number;
  /** The previous pass was full: the queue is deeper than a pass (see pass-size.ts). */
  backlog: boolean;
  /** Room the previous pass found on the fleet (Infinity before the first). */
  lastRoom: number;
  recordTrace: boolean;
  /** The previous pass, still committing or dispatching: this one writes and dispatches after it. */
  previous: PassTail;
  /** Jobs a pass still committing moves out of the queue; the table shows them queued until it ends. */
  committing: Set<string>;
  /** Jobs that ended in this pass (rejected, expired), for workflow progress. */
  onFinished: (jobs: readonly FinishedJob[]) => Promise<void>;
}

/** What is still under way once a pass has decided. */
export interface PassTail {
  /** Settles when the pass's transaction has ended (committed or not); never rejects. */
  committed: Promise<void>;
  /** Resolves once its placements are on their nodes' queues. */
  dispatched: Promise<void>;
}

export interface PassOutcome extends PassTail {
  considered: number;
  placed: number;
  /** The batch was full and placed something: more jobs may be waiting right now. */
  more: boolean;
  /** Room this pass found on the fleet, for the next pass's read. */
  room: number;
}

/**
 * One scheduling pass: load the most urgent queued jobs, expire the late ones, decide the
 * rest with libs/scheduling against one snapshot, write every outcome in one transaction
 * (placements guarded by state, so only jobs still queued are placed), then dispatch what
 * was placed. Nothing is dispatched unless its placement committed.
 *
 * The pass returns once it has decided and its transaction is under way: the next pass loads
 * and decides while this one commits (a pass's database work and its decisions each take
 * about half of it). The placements it decided hold their room in the active-jobs view at
 * once, and its jobs are kept out of the next pass's queue until its transaction ends; the
 * next transaction starts only after this one, so the decision log and audit chains keep
 * the order the decisions were made in.
 */
export async function runPass(deps: PassRunnerDeps): Promise<PassOutcome> {
  const started = performance.now();
  const nowMs = Date.now();
  // The queue is read before the fleet is looked at: most passes on a busy fleet find it
  // empty (a tick, a wake-up), and the fleet view costs in proportion to the fleet. Its size
  // is bounded by the room the previous pass saw, and cut to the room there is now below.
  const batch = passBatch(deps.batchSize, deps.fleet.size, deps.backlog);
  const readLimit = Math.min(batch, Math.max(MIN_BATCH, 2 * deps.lastRoom));
  const loaded = await deps.store.loadQueue(readLimit, new Date(nowMs), deps.committing);
  if (loaded.length === 0) {
    deps.metrics.queueDepth.reset();
    return { considered: 0, placed: 0, more: false, room: deps.lastRoom, ...deps.previous };
  }
  const active = await deps.active.current(nowMs);
  await deps.nodeHistory.refresh(nowMs);
  const nodes = deps.fleet.snapshotNodes(active, nowMs, (nodeId) => deps.nodeHistory.of(nodeId));
  // Deciding jobs that cannot fit only to find they still wait costs as much as placing
  // them: with the fleet nearly full, consider a few more jobs than there is room for.
  const room = roomIn(nodes);
  const limit = Math.min(readLimit, Math.max(MIN_BATCH, 2 * room));
  const rows = loaded.length > limit ? loaded.slice(0, limit) : loaded;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const specs = rows.map(toJobSpec);

  const expired = checkDeadlines(specs, nowMs).filter((v) => v.verdict === 'expired');
  const expiredIds = new Set(expired.map((v) => v.jobId));
  const queue = specs.filter((job) => !expiredIds.has(job.id));

  const snapshot: FleetSnapshot = {
    nowMs,
    tenants: await deps.tenants.snapshot(active, nowMs, queue.length),
    nodes,
    running: active,
  };
  // With no node known yet (a scheduler that just started, an empty fleet) nothing can be
  // judged against the fleet: admission would refuse every job as never fitting. Wait instead.
  const decidable = snapshot.nodes.length === 0 ? [] : queue;
  const pass = await decideInSteps(passSteps(snapshot, decidable, deps.options));
  const writes = passWrites(pass, expired, byId, nowMs, deps.recordTrace);
  for (const { error } of writes.rejected) deps.metrics.rejections.inc({ reason: error.code });

  // Until the transaction ends, the decided placements hold their room and count toward the
  // tenants' rate windows, and their jobs stay out of the next pass's queue.
  const reserved = writes.placements.map((w) => w.jobId);
  const leaving = leavingQueue(writes);
  deps.active.reserve(
    writes.placements.flatMap((w) => {
      const row = byId.get(w.jobId);
      return row ? [heldBy(row, w.placement, nowMs)] : [];
    }),
  );
  for (const w of writes.placements) {
    const row = byId.get(w.jobId);
    if (row && countsTowardRate(row.affinity)) deps.tenants.recordPlacement(row.tenant_id, nowMs);
  }
  for (const jobId of leaving) deps.committing.add(jobId);
  // The pass's working snapshot marked half-open breakers' probes; keep that.
  for (const node of pass.snapshot.nodes) if (node.breaker) deps.fleet.setBreaker(node.id, node.breaker);

  const placementOf = new Map(writes.placements.map((p) => [p.jobId, p.placement]));
  await deps.previous.committed;
  const transaction = deps.store.transaction(async (manager) => {
    const preempted = await deps.store.preempt(manager, writes.victims);
    const placed = await deps.store.markPlaced(manager, writes.placements, nowMs);
    await deps.store.markWaiting(manager, writes.waiting);
    const finished = [
      ...(await deps.store.finishQueued(manager, 'failed', writes.rejected)),
      ...(await deps.store.finishQueued(manager, 'expired', writes.expired)),
    ];
    await deps.decisions.append(manager, writes.logged);
    if (deps.recordTrace)
      await deps.decisions.recordTrace(manager, pass.passDigest, snapshot, queue, deps.options);
    // Only what really changed reaches the audit chains: a placement another leader made first
    // is not this leader's decision.
    await appendDecisionAudit(manager, [
      ...placementAudit(pass.passDigest, placed, byId, placementOf),
      ...writes.audit,
    ]);
    return { placed, preempted, finished };
  });

  const committed = transaction.then(
    ({ placed, preempted }) => {
      deps.active.settle(
        reserved,
        placed.flatMap(({ id, placed_at }) => {
          const row = byId.get(id);
          const placement = placementOf.get(id);
          return row && placement ? [heldBy(row, placement, placed_at.getTime())] : [];
        }),
      );
      // A preempted run keeps its room, as a stop hold, until its node confirms the stop.
      deps.active.release(preempted.map((run) => run.id));
      deps.active.hold(
        preempted.map((run) =>
          stopHoldOf({ id: run.id, tenantId: run.tenant_id, priority: run.priority }, run.stopping),
        ),
      );
      const placedIds = new Set(placed.map((p) => p.id));
      for (const w of writes.placements) {
        const row = byId.get(w.jobId);
        if (row && !placedIds.has(w.jobId) && countsTowardRate(row.affinity))
          deps.tenants.forgetPlacement(row.tenant_id, nowMs);
      }
    },
    (error: unknown) => {
      deps.active.settle(reserved, []);
      for (const w of writes.placements) {
        const row = byId.get(w.jobId);
        if (row && countsTowardRate(row.affinity)) deps.tenants.forgetPlacement(row.tenant_id, nowMs);
      }
      deps.logger.error({ err: error }, 'scheduling pass not committed; its jobs stay queued');
    },
  );
  const ended = committed.finally(() => {
    for (const jobId of leaving) deps.committing.delete(jobId);
  });

  // A transaction that failed placed nothing: there is nothing to dispatch (it was logged above).
  const written = transaction.catch(() => null);
  const dispatched = written.then(async (result) => {
    await deps.previous.dispatched;
    if (!result) return;
    const { placed, finished, preempted } = result;
    await deps.dispatcher.stop(preempted.map((run) => stopOrder(run)));
    const orders: DispatchOrder[] = [];
    for (const { id, attempt } of placed) {
      const row = byId.get(id);
      const placement = placementOf.get(id);
      if (!row || !placement) continue;
      orders.push({ row, attempt, placement });
      deps.metrics.placements.inc({ target: placement.target });
      deps.metrics.placementLatency.observe(Math.max(0, nowMs - row.submitted_at.getTime()) / 1000);
    }
    deps.metrics.preemptions.inc(writes.victims.length);
    deps.metrics.queueDepth.set({ state: 'waiting' }, queue.length - placed.length - writes.rejected.length);
    await deps.dispatcher.dispatch(orders);
    if (finished.length > 0) await deps.onFinished(finished);
  });

  deps.metrics.passDuration.observe((performance.now() - started) / 1000);
  if (leaving.length > 0) {
    deps.logger.debug(
      {
        considered: rows.length,
        placed: writes.placements.length,
        rejected: writes.rejected.length,
        expired: expired.length,
      },
      'scheduling pass',
    );
  }
  // Another pass at once only if this one made progress on a full batch; otherwise the next
  // report, submission or tick wakes the loop.
  return {
    considered: rows.length,
    placed: writes.placements.length,
    // A read cut short by the room the previous pass saw is followed at once by a fuller one.
    more:
      (rows.length >= limit || (loaded.length >= readLimit && room > deps.lastRoom)) &&
      writes.placements.length > 0,
    room,
    committed: ended,
    dispatched,
  };
}

/**
 * Runs a pass's decisions, letting the event loop turn between steps. Deciding thousands of
 * jobs takes a couple of hundred milliseconds; run in one go, it held up every statement of
 * the previous pass's transaction (each waits for a turn of the loop to be sent), its
 * dispatches and the nodes' reports, leaving Postgres idle while the pass decided.
 */
async function decideInSteps(steps: Generator<number, SchedulingPass, void>): Promise<SchedulingPass> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const MIN_BATCH = 64;
/** A device holds as many jobs as its VRAM allows; this many is a fair guess for a batch. */
const JOBS_PER_DEVICE_GUESS = 8;

/** Room for new work on nodes that take it: free CPU slots, and a guess per healthy device. */
function roomIn(nodes: readonly NodeSnapshot[]): number {
  let room = 0;
  for (const node of nodes) {
    if (node.state !== 'ready') continue;
    room += (node.cpuSlots?.free ?? 0) + node.devices.length * JOBS_PER_DEVICE_GUESS;
  }
  return room;
}

/** The message that tells a preempted run's node to stop it (with its notice's grace). */
export function stopOrder(run: PreemptedRun): { nodeId: string; stop: JobStop } {
  return {
    nodeId: run.stopping.nodeId,
    stop: {
      jobId: run.id,
      attempt: run.stopping.attempt,
      reason: run.stopping.reason,
      graceMs: run.stopping.graceMs,
      at: Date.now(),
    },
  };
}
