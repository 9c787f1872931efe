import {
  canonicalJson,
  stopHoldId,
  type DeadlineVerdict,
  type Placement,
  type RunningJob,
  type SchedulingPass,
} from '@voxelfleet/scheduling';
import type { DecisionAuditRecord } from '../audit/decision-audit.js';
import type { LoggedDecision } from '../decisions/decision-log.js';
import type { QueuedJobRow } from '../jobs/job-row.js';
import type { PlacementWrite, StateWrite, StoredJobError } from '../jobs/job-store.js';

export interface WaitWrite {
  jobId: string;
  pending: unknown;
  admitted: boolean;
  reason: string;
}

/** Everything a pass will write, in one transaction. */
export interface PassWrites {
  placements: PlacementWrite[];
  waiting: WaitWrite[];
  rejected: (StateWrite & { error: StoredJobError })[];
  expired: (StateWrite & { error: StoredJobError })[];
  victims: StateWrite[];
  audit: DecisionAuditRecord[];
  logged: LoggedDecision[];
}

/**
 * Turns a pass's decisions (and the jobs it found past their deadline) into the writes that
 * record them. A wait is written (and logged) only when its reason changed, so a job that
 * waits through many passes does not rewrite its row each time; with trace recording on,
 * every decision is logged so the pass can be replayed.
 */
export function passWrites(
  pass: SchedulingPass,
  expired: readonly DeadlineVerdict[],
  byId: ReadonlyMap<string, QueuedJobRow>,
  nowMs: number,
  recordTrace: boolean,
): PassWrites {
  const writes: PassWrites = {
    placements: [],
    waiting: [],
    rejected: [],
    expired: [],
    victims: [],
    audit: [],
    logged: [],
  };
  pass.decisions.forEach(({ jobId, decision, record }, position) => {
    const row = byId.get(jobId);
    if (!row) return;
    let changed = true;
    switch (decision.kind) {
      case 'place':
        writes.placements.push({
          jobId,
          placement: decision.placement,
          reason: `placed: ${decision.placement.reason}`,
        });
        break;
      case 'preempt': {
        // Victims are told to stop; their room is held until their nodes confirm, and the job
        // waits for it (a later pass places it). Victims already stopping are only waited on.
        const told = decision.plan.victims.filter((v) => !v.stopping);
        for (const victim of told) {
          // Borrowed work goes first when a lender takes back its quota, whatever its priority.
          const why = victim.borrowed
            ? `its borrowed quota reclaimed by ${row.tenant_id}`
            : `a ${row.priority} job`;
          writes.victims.push({
            jobId: victim.jobId,
            reason: victim.borrowed
              ? `preempted for ${jobId}: ${why}`
              : `preempted for ${jobId} (${row.priority})`,
          });
          writes.audit.push({
            tenantId: victim.tenantId,
            action: 'job.preempted',
            resource: { type: 'job', id: victim.jobId },
            outcome: 'succeeded',
            reason: `preempted on ${decision.plan.nodeId} for ${why}`,
            diff: {
              by: jobId,
              nodeId: decision.plan.nodeId,
              ...(victim.borrowed ? { reclaimed: true } : {}),
            },
          });
        }
        const waitingFor = decision.plan.victims.map((v) => stoppedJobId(v.jobId));
        const before = (row.pending as { preempting?: unknown } | null)?.preempting ?? null;
        changed = told.length > 0 || canonicalJson(before) !== canonicalJson(waitingFor);
        if (changed) {
          writes.waiting.push({
            jobId,
            pending: { blockers: [], preempting: waitingFor, nodeId: decision.plan.nodeId, since: nowMs },
            admitted: true,
            reason: `waiting for ${waitingFor.length} preempted job(s) to stop: ${decision.plan.reason}`,
          });
        }
        break;
      }
      case 'reject':
        writes.rejected.push({
          jobId,
          reason: `rejected: ${decision.rejection.reason}`,
          error: { code: decision.rejection.code, message: decision.rejection.reason, retryable: false },
        });
        writes.audit.push({
          tenantId: row.tenant_id,
          action: 'job.rejected',
          resource: { type: 'job', id: jobId },
          outcome: 'failed',
          reason: decision.rejection.reason,
          diff: { code: decision.rejection.code },
        });
        break;
      case 'wait': {
        changed =
          canonicalJson((row.pending as { blockers?: unknown } | null)?.blockers ?? null) !==
          canonicalJson(decision.blockers);
        if (changed) {
          writes.waiting.push({
            jobId,
            pending: { blockers: decision.blockers, since: nowMs },
            admitted: decision.blockers.every((b) => b.kind === 'capacity'),
            reason: `pending: ${record.reason}`,
          });
        }
        break;
      }
    }
    if (changed || recordTrace) writes.logged.push({ passDigest: pass.passDigest, position, jobId, record });
  });

  for (const v of expired) {
    writes.expired.push({
      jobId: v.jobId,
      reason: `expired: ${v.reason}`,
      error: { code: 'expired', message: v.reason, retryable: false },
    });
    const row = byId.get(v.jobId);
    if (row) {
      writes.audit.push({
        tenantId: row.tenant_id,
        action: 'job.expired',
        resource: { type: 'job', id: v.jobId },
        outcome: 'failed',
        reason: v.reason,
        diff: null,
      });
    }
  }
  return writes;
}

/** The job a victim entry stands for (a stopping run appears under its stop hold's id). */
function stoppedJobId(victimId: string): string {
  return victimId.endsWith(STOPPING_SUFFIX) ? victimId.slice(0, -STOPPING_SUFFIX.length) : victimId;
}

const STOPPING_SUFFIX = stopHoldId('');

/** Jobs whose state the writes move out of the queue: a pass that follows must not load them. */
export function leavingQueue(writes: PassWrites): string[] {
  return [
    ...writes.placements.map((w) => w.jobId),
    ...writes.rejected.map((w) => w.jobId),
    ...writes.expired.map((w) => w.jobId),
  ];
}

/** The room a placement holds, as the table's active-jobs read would show it. */
export function heldBy(row: QueuedJobRow, placement: Placement, startedAtMs: number): RunningJob {
  const deviceIds = placement.target === 'gpu' ? placement.deviceIds : [];
  return {
    jobId: row.id,
    tenantId: row.tenant_id,
    nodeId: placement.nodeId,
    deviceIds,
    vramBytesPerDevice: deviceIds.length > 0 ? Number(row.vram_bytes) : 0,
    priority: row.priority,
    preemptible: row.preemptible,
    startedAtMs,
    ...(row.estimated_duration_ms === null ? {} : { estimatedDurationMs: row.estimated_duration_ms }),
    ...(row.checkpoint_at ? { lastCheckpointAtMs: row.checkpoint_at.getTime() } : {}),
    // Kept with the placement: the table's active-jobs read finds it in jobs.placement.
    ...(placement.borrowing && placement.borrowing.length > 0 ? { borrowed: true as const } : {}),
  };
}

/**
 * The placements of a pass that committed, as one audit entry per tenant listing its jobs and
 * where each went. An entry per placed job made the audit log grow by a row for every job the
 * fleet ran (most of its size and of a pass's hashing); rejections, preemptions and expiries,
 * which a tenant looks up one by one, keep an entry each.
 */
export function placementAudit(
  passDigest: string,
  placed: readonly { id: string }[],
  byId: ReadonlyMap<string, QueuedJobRow>,
  placementOf: ReadonlyMap<string, Placement>,
): DecisionAuditRecord[] {
  const byTenant = new Map<
    string,
    { deviceIds: string[]; jobId: string; nodeId: string; target: string }[]
  >();
  for (const { id } of placed) {
    const row = byId.get(id);
    const placement = placementOf.get(id);
    if (!row || !placement) continue;
    const jobs = byTenant.get(row.tenant_id) ?? [];
    // Keys in sorted order: the audit log's canonical form then has nothing to sort.
    jobs.push({
      deviceIds: placement.target === 'gpu' ? [...placement.deviceIds] : [],
      jobId: id,
      nodeId: placement.nodeId,
      target: placement.target,
    });
    byTenant.set(row.tenant_id, jobs);
  }
  return [...byTenant].map(([tenantId, jobs]) => ({
    tenantId,
    action: 'job.placed',
    resource: { type: 'scheduling-pass', id: passDigest },
    outcome: 'succeeded',
    reason: jobs.length === 1 ? `placed 1 job on ${jobs[0]?.nodeId}` : `placed ${jobs.length} jobs`,
    diff: { jobs },
  }));
}
