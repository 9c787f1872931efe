import {
  canonicalJson,
  checkDeadlines,
  schedulePass,
  type FleetSnapshot,
  type NodeSnapshot,
  type PassOptions,
  type Placement,
} from '@voxelfleet/scheduling';
import type { Logger } from 'pino';
import { appendDecisionAudit, type DecisionAuditRecord } from '../audit/decision-audit.js';
import type { DecisionLog, LoggedDecision } from '../decisions/decision-log.js';
import type { Dispatcher, DispatchOrder } from '../dispatch/dispatcher.js';
import type { FleetRegistryService } from '../fleet/fleet-registry.service.js';
import type { NodeHistory } from '../fleet/node-history.js';
import { toJobSpec, type QueuedJobRow } from '../jobs/job-row.js';
import type { FinishedJob, JobStore, PlacementWrite, StoredJobError } from '../jobs/job-store.js';
import type { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import type { TenantView } from '../tenants/tenant-view.js';

export interface PassRunnerDeps {
  store: JobStore;
  fleet: FleetRegistryService;
  nodeHistory: NodeHistory;
  tenants: TenantView;
  dispatcher: Dispatcher;
  decisions: DecisionLog;
  metrics: SchedulerMetrics;
  logger: Logger;
  options: PassOptions;
  batchSize: number;
  recordTrace: boolean;
  /** The previous pass's dispatch: this pass's goes out after it, never before. */
  previousDispatch: Promise<void>;
  /** Jobs that ended in this pass (rejected, expired), for workflow progress. */
  onFinished: (jobs: readonly FinishedJob[]) => Promise<void>;
}

export interface PassOutcome {
  considered: number;
  placed: number;
  /** The batch was full: more jobs may be waiting right now. */
  more: boolean;
  /**
   * Resolves once this pass's placements are on their nodes' queues. The next pass's
   * database work overlaps with it.
   */
  dispatched: Promise<void>;
}

/**
 * One scheduling pass: load the most urgent queued jobs, expire the late ones, decide the
 * rest with libs/scheduling against one snapshot, write every outcome in one transaction
 * (placements guarded by state, so only jobs still queued are placed), then dispatch what
 * was placed. Nothing is dispatched unless its placement committed.
 */
export async function runPass(deps: PassRunnerDeps): Promise<PassOutcome> {
  const started = performance.now();
  const nowMs = Date.now();
  const active = await deps.store.loadActive();
  await deps.nodeHistory.refresh(nowMs);
  const nodes = deps.fleet.snapshotNodes(active, nowMs).map((node) => {
    const performance = deps.nodeHistory.of(node.id);
    return performance ? { ...node, performance } : node;
  });
  // Deciding jobs that cannot fit only to find they still wait costs as much as placing
  // them: with the fleet nearly full, consider a few more jobs than there is room for.
  const limit = Math.min(deps.batchSize, Math.max(MIN_BATCH, 2 * roomIn(nodes)));
  const rows = await deps.store.loadQueue(limit, new Date(nowMs));
  if (rows.length === 0) {
    deps.metrics.queueDepth.reset();
    return { considered: 0, placed: 0, more: false, dispatched: deps.previousDispatch };
  }
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
  const pass = schedulePass(snapshot, decidable, deps.options);

  const placements: PlacementWrite[] = [];
  const waiting: { jobId: string; pending: unknown; admitted: boolean; reason: string }[] = [];
  const rejected: { jobId: string; reason: string; error: StoredJobError }[] = [];
  const victims: { jobId: string; reason: string }[] = [];
  const audit: DecisionAuditRecord[] = [];
  const logged: LoggedDecision[] = [];
  pass.decisions.forEach(({ jobId, decision, record }, position) => {
    const row = byId.get(jobId);
    if (!row) return;
    let changed = true;
    switch (decision.kind) {
      case 'place':
        placements.push({
          jobId,
          placement: decision.placement,
          reason: `placed: ${decision.placement.reason}`,
        });
        audit.push(placedAudit(row, decision.placement));
        break;
      case 'preempt': {
        const placement: Placement = {
          target: 'gpu',
          nodeId: decision.plan.nodeId,
          deviceIds: decision.plan.deviceIds,
          score: 0,
          reason: decision.plan.reason,
        };
        placements.push({ jobId, placement, reason: `placed after preemption: ${decision.plan.reason}` });
        audit.push(placedAudit(row, placement));
        for (const victim of decision.plan.victims) {
          victims.push({ jobId: victim.jobId, reason: `preempted for ${jobId} (${row.priority})` });
          audit.push({
            tenantId: victim.tenantId,
            action: 'job.preempted',
            jobId: victim.jobId,
            outcome: 'succeeded',
            reason: `preempted on ${decision.plan.nodeId} for a ${row.priority} job`,
            diff: { by: jobId, nodeId: decision.plan.nodeId },
          });
        }
        break;
      }
      case 'reject':
        rejected.push({
          jobId,
          reason: `rejected: ${decision.rejection.reason}`,
          error: { code: decision.rejection.code, message: decision.rejection.reason, retryable: false },
        });
        deps.metrics.rejections.inc({ reason: decision.rejection.code });
        audit.push({
          tenantId: row.tenant_id,
          action: 'job.rejected',
          jobId,
          outcome: 'failed',
          reason: decision.rejection.reason,
          diff: { code: decision.rejection.code },
        });
        break;
      case 'wait': {
        const pending = { blockers: decision.blockers, since: nowMs };
        changed =
          canonicalJson((row.pending as { blockers?: unknown } | null)?.blockers ?? null) !==
          canonicalJson(decision.blockers);
        if (changed) {
          waiting.push({
            jobId,
            pending,
            admitted: decision.blockers.every((b) => b.kind === 'capacity'),
            reason: `pending: ${record.reason}`,
          });
        }
        break;
      }
    }
    if (changed || deps.recordTrace) logged.push({ passDigest: pass.passDigest, position, jobId, record });
  });

  const expiredWrites = expired.map((v) => ({
    jobId: v.jobId,
    reason: `expired: ${v.reason}`,
    error: { code: 'expired' as const, message: v.reason, retryable: false },
  }));
  for (const v of expired) {
    const row = byId.get(v.jobId);
    if (row) {
      audit.push({
        tenantId: row.tenant_id,
        action: 'job.expired',
        jobId: v.jobId,
        outcome: 'failed',
        reason: v.reason,
        diff: null,
      });
    }
  }

  const { placed, finished } = await deps.store.transaction(async (manager) => {
    await deps.store.preempt(manager, victims);
    const placed = await deps.store.markPlaced(manager, placements);
    await deps.store.markWaiting(manager, waiting);
    const finished = [
      ...(await deps.store.finishQueued(manager, 'failed', rejected)),
      ...(await deps.store.finishQueued(manager, 'expired', expiredWrites)),
    ];
    await deps.decisions.append(manager, logged);
    if (deps.recordTrace)
      await deps.decisions.recordTrace(manager, pass.passDigest, snapshot, queue, deps.options);
    const placedIds = new Set(placed.map((p) => p.id));
    // Only what really changed reaches the audit chains: a placement another leader made first
    // is not this leader's decision.
    await appendDecisionAudit(
      manager,
      audit.filter((a) => a.action !== 'job.placed' || placedIds.has(a.jobId)),
    );
    return { placed, finished };
  });

  const placementOf = new Map(placements.map((p) => [p.jobId, p.placement]));
  const orders: DispatchOrder[] = [];
  for (const { id, attempt } of placed) {
    const row = byId.get(id);
    const placement = placementOf.get(id);
    if (!row || !placement) continue;
    orders.push({ row, attempt, placement });
    deps.tenants.recordPlacement(row.tenant_id, nowMs);
    deps.metrics.placements.inc({ target: placement.target });
    deps.metrics.placementLatency.observe(Math.max(0, nowMs - row.submitted_at.getTime()) / 1000);
  }
  // The pass's working snapshot marked half-open breakers' probes; keep that.
  for (const node of pass.snapshot.nodes) if (node.breaker) deps.fleet.setBreaker(node.id, node.breaker);
  const dispatched = deps.previousDispatch.then(() => deps.dispatcher.dispatch(orders));
  deps.metrics.preemptions.inc(victims.length);
  if (finished.length > 0) await deps.onFinished(finished);

  deps.metrics.queueDepth.set({ state: 'waiting' }, queue.length - placed.length - rejected.length);
  deps.metrics.passDuration.observe((performance.now() - started) / 1000);
  if (placed.length > 0 || rejected.length > 0 || expired.length > 0) {
    deps.logger.debug(
      { considered: rows.length, placed: placed.length, rejected: rejected.length, expired: expired.length },
      'scheduling pass',
    );
  }
  // Another pass at once only if this one made progress on a full batch; otherwise the next
  // report, submission or tick wakes the loop.
  return {
    considered: rows.length,
    placed: placed.length,
    more: rows.length >= limit && placed.length > 0,
    dispatched,
  };
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

function placedAudit(row: QueuedJobRow, placement: Placement): DecisionAuditRecord {
  return {
    tenantId: row.tenant_id,
    action: 'job.placed',
    jobId: row.id,
    outcome: 'succeeded',
    reason: placement.reason,
    diff: {
      nodeId: placement.nodeId,
      target: placement.target,
      deviceIds: placement.target === 'gpu' ? [...placement.deviceIds] : [],
    },
  };
}
