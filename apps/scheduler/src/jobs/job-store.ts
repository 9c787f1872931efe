import type { JobCheckpoint, JobError, KernelInputs } from '@voxelfleet/contracts';
import type { Placement, PriorityClass, RunningJob, StoppingRun } from '@voxelfleet/scheduling';
import { loadActiveJobs } from '@voxelfleet/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { QUEUED_JOB_COLUMNS, type QueuedJobRow } from './job-row.js';

/** A placement the loop wants to record; the store applies it only if the job is still queued. */
export interface PlacementWrite {
  jobId: string;
  placement: Placement;
  reason: string;
}

export interface PlacedJob {
  id: string;
  attempt: number;
  placed_at: Date;
}

/** A victim as preemption left it: requeued, with the run its node must stop. */
export interface PreemptedRun {
  id: string;
  tenant_id: string;
  priority: PriorityClass;
  stopping: StoppingRun;
}

export interface StateWrite {
  jobId: string;
  reason: string;
}

/** What `jobs.error` holds: a node's JobError, or the scheduler's own refusal code. */
export interface StoredJobError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface FinishedJob {
  id: string;
  tenant_id: string;
  workflow_id: string | null;
  node_id: string | null;
  state: string;
}

export interface TenantHistory {
  tenantId: string;
  /** GPU-seconds consumed or reserved since the start of the UTC day. */
  gpuSecondsToday: number;
  /** GPU-seconds of finished jobs, decayed to now with the fair-share half-life. */
  decayedGpuSeconds: number;
}

const QUEUED = `('submitted', 'admitted', 'requeued')`;
const ACTIVE = `('placed', 'running')`;

/**
 * Every SQL statement the scheduler runs against jobs. Writes are guarded by the state the job
 * must be in, so a stale decision, a redelivered report or a second scheduler changes nothing.
 * Batches go through unnest() so a pass of many jobs is one statement, not one per job.
 */
export class JobStore {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * The most urgent queued jobs first, so a batch limit never hides a realtime job. `except`:
   * jobs a pass still committing has placed or ended, which the table shows as queued until
   * then. `NOT IN` a subquery is one hashed lookup per row (`<> ALL` of an array compared
   * every row with every id).
   */
  async loadQueue(
    limit: number,
    now: Date,
    except: ReadonlySet<string> = new Set(),
  ): Promise<QueuedJobRow[]> {
    return this.db.query(
      `SELECT ${QUEUED_JOB_COLUMNS} FROM jobs
        WHERE state IN ${QUEUED} AND (not_before IS NULL OR not_before <= $2)
          AND id NOT IN (SELECT unnest($3::uuid[])) AND stopping IS NULL
        ORDER BY array_position(ARRAY['realtime','high','normal','low','background'], priority),
                 deadline_at NULLS LAST, submitted_at
        LIMIT $1`,
      [limit, now, [...except]],
    );
  }

  loadActive(): Promise<RunningJob[]> {
    return loadActiveJobs(this.db);
  }

  /** Placements per tenant inside the last minute (the rate quota), newest `cap` kept each. */
  async recentPlacements(since: Date): Promise<{ tenant_id: string; placed_at: Date }[]> {
    // A tracking stream's frame-set jobs do not count toward the rate (see countsTowardRate).
    return this.db.query(
      `SELECT tenant_id, placed_at FROM jobs
        WHERE placed_at > $1 AND (affinity IS NULL OR affinity->>'sameNodeAsStream' IS NULL)
        ORDER BY placed_at`,
      [since],
    );
  }

  async tenantHistory(dayStart: Date, halfLifeMs: number): Promise<TenantHistory[]> {
    const rows: { tenant_id: string; today: string | null; decayed: string | null }[] = await this.db.query(
      `SELECT tenant_id,
              sum(gpus * CASE WHEN finished_at IS NOT NULL AND started_at IS NOT NULL
                              THEN extract(epoch FROM finished_at - started_at)
                              ELSE coalesce(estimated_duration_ms, 0) / 1000.0 END)
                FILTER (WHERE placed_at >= $1 AND state <> 'preempted') AS today,
              sum(gpus * extract(epoch FROM finished_at - started_at)
                  * power(0.5, extract(epoch FROM now() - finished_at) * 1000 / $2))
                FILTER (WHERE finished_at IS NOT NULL AND started_at IS NOT NULL) AS decayed
         FROM jobs
        WHERE placed_at >= least($1, now() - interval '1 day')
        GROUP BY tenant_id`,
      [dayStart, halfLifeMs],
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      gpuSecondsToday: Number(row.today ?? 0),
      decayedGpuSeconds: Number(row.decayed ?? 0),
    }));
  }

  /** One UPDATE for the whole batch; only jobs still queued are placed, and they come back. */
  /**
   * Places the jobs still queued. `placedAtMs` is when the pass decided: the leader's view
   * holds the placement from that moment, and the row says the same, so the view's entry does
   * not change (and need not be hashed again) when the transaction commits.
   */
  async markPlaced(
    manager: EntityManager,
    writes: readonly PlacementWrite[],
    placedAtMs: number,
  ): Promise<PlacedJob[]> {
    if (writes.length === 0) return [];
    const rows: [PlacedJob[], number] = await manager.query(
      `UPDATE jobs j SET state = 'placed', attempt = j.attempt + 1, node_id = w.node_id,
              device_ids = w.devices, placement = w.placement, state_reason = w.reason,
              placed_at = to_timestamp($2 / 1000.0), started_at = NULL, pending = NULL, not_before = NULL
         FROM json_to_recordset($1::json) AS w(id uuid, node_id text, devices text[], placement jsonb, reason text)
        WHERE j.id = w.id AND j.state IN ${QUEUED}
        RETURNING j.id, j.attempt, j.placed_at`,
      [
        JSON.stringify(
          writes.map((w) => ({
            id: w.jobId,
            node_id: w.placement.nodeId,
            devices: w.placement.target === 'gpu' ? w.placement.deviceIds : [],
            placement: w.placement,
            reason: w.reason,
          })),
        ),
        placedAtMs,
      ],
    );
    return rows[0];
  }

  /**
   * Jobs that must wait: the reason is stored for `GET /v1/jobs/:id`. A job held back by
   * capacity alone has passed admission and moves to `admitted`; one held by its quota stays
   * `submitted`.
   */
  async markWaiting(
    manager: EntityManager,
    writes: readonly { jobId: string; pending: unknown; admitted: boolean; reason: string }[],
  ): Promise<void> {
    if (writes.length === 0) return;
    await manager.query(
      `UPDATE jobs j SET pending = w.pending, state_reason = w.reason,
              state = CASE WHEN w.admitted AND j.state = 'submitted' THEN 'admitted'
                           WHEN NOT w.admitted AND j.state = 'admitted' THEN 'submitted'
                           ELSE j.state END
         FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::jsonb[]) AS pending,
                      unnest($3::boolean[]) AS admitted, unnest($4::text[]) AS reason) AS w
        WHERE j.id = w.id AND j.state IN ${QUEUED}`,
      [
        writes.map((w) => w.jobId),
        writes.map((w) => JSON.stringify(w.pending)),
        writes.map((w) => w.admitted),
        writes.map((w) => w.reason),
      ],
    );
  }

  /** Ends queued jobs (rejected → failed, deadline passed → expired). */
  async finishQueued(
    manager: EntityManager,
    state: 'failed' | 'expired',
    writes: readonly (StateWrite & { error: StoredJobError })[],
  ): Promise<FinishedJob[]> {
    if (writes.length === 0) return [];
    const rows: [FinishedJob[], number] = await manager.query(
      `UPDATE jobs j SET state = $1, state_reason = w.reason, error = w.error, pending = NULL,
              finished_at = clock_timestamp()
         FROM (SELECT unnest($2::uuid[]) AS id, unnest($3::text[]) AS reason, unnest($4::jsonb[]) AS error) AS w
        WHERE j.id = w.id AND j.state IN ${QUEUED}
        RETURNING j.id, j.tenant_id, j.workflow_id, j.node_id, j.state`,
      [
        state,
        writes.map((w) => w.jobId),
        writes.map((w) => w.reason),
        writes.map((w) => JSON.stringify(w.error)),
      ],
    );
    return rows[0];
  }

  /** Preempted jobs go back to the queue in two recorded steps: preempted, then requeued. */
  /**
   * Preempts the victims still placed or running: each is requeued, and the run its node holds
   * is recorded as stopping (`jobs.stopping`), so its room stays held and the job is not
   * placed again until the node confirms the stop. A checkpointable job's stop carries its
   * grace, so it is noticed first and may write a checkpoint.
   */
  async preempt(
    manager: EntityManager,
    writes: readonly StateWrite[],
    nowMs = Date.now(),
  ): Promise<PreemptedRun[]> {
    if (writes.length === 0) return [];
    const ids = writes.map((w) => w.jobId);
    const reasons = writes.map((w) => w.reason);
    const rows: [PreemptedRun[], number] = await manager.query(
      `UPDATE jobs j SET state = 'preempted', state_reason = w.reason,
              stopping = jsonb_build_object(
                'attempt', j.attempt, 'nodeId', j.node_id, 'deviceIds', to_jsonb(j.device_ids),
                'vramBytesPerDevice', j.vram_bytes, 'reason', 'preempted',
                'graceMs', CASE WHEN j.checkpointable THEN j.preemption_grace_ms ELSE 0 END,
                'requestedAtMs', $3::bigint)
         FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS reason) AS w
        WHERE j.id = w.id AND j.state IN ${ACTIVE} RETURNING j.id, j.tenant_id, j.priority, j.stopping`,
      [ids, reasons, nowMs],
    );
    const runs = rows[0];
    const preempted = runs.map((r) => r.id);
    if (preempted.length > 0) {
      await manager.query(
        `UPDATE jobs SET state = 'requeued', state_reason = 'requeued after preemption', node_id = NULL,
                device_ids = '{}'
          WHERE id = ANY($1::uuid[]) AND state = 'preempted'`,
        [preempted],
      );
    }
    return runs;
  }

  /**
   * Runs whose stop is confirmed: by a `stopped` report, or by any final report of the same
   * attempt (the node ended it either way). Their room is free; a checkpoint written on the
   * way out is kept with the job for its next run. Returns the jobs whose stop this settled.
   */
  async confirmStops(
    manager: EntityManager,
    confirmations: readonly { jobId: string; attempt: number; checkpoint?: JobCheckpoint }[],
  ): Promise<string[]> {
    if (confirmations.length === 0) return [];
    const rows: [{ id: string }[], number] = await manager.query(
      `UPDATE jobs j SET stopping = NULL,
              checkpoint = coalesce(c.checkpoint, j.checkpoint),
              checkpoint_at = CASE WHEN c.checkpoint IS NULL THEN j.checkpoint_at ELSE clock_timestamp() END
         FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, attempt int, checkpoint jsonb)
        WHERE j.id = c.id AND j.stopping IS NOT NULL AND (j.stopping->>'attempt')::int = c.attempt
        RETURNING j.id`,
      [
        JSON.stringify(
          confirmations.map((c) => ({ id: c.jobId, attempt: c.attempt, checkpoint: c.checkpoint ?? null })),
        ),
      ],
    );
    return rows[0].map((r) => r.id);
  }

  /** Stops on nodes declared lost: nothing runs there any more, so their room is free. */
  async releaseStopsOn(nodeIds: readonly string[]): Promise<string[]> {
    if (nodeIds.length === 0) return [];
    const rows: [{ id: string }[], number] = await this.db.query(
      `UPDATE jobs SET stopping = NULL WHERE stopping IS NOT NULL AND stopping->>'nodeId' = ANY($1::text[])
        RETURNING id`,
      [nodeIds],
    );
    return rows[0].map((r) => r.id);
  }

  /** Stops not yet confirmed, told at least `olderThanMs` ago (to be told again). */
  async unconfirmedStops(olderThanMs: number): Promise<{ id: string; stopping: StoppingRun }[]> {
    return this.db.query(
      `SELECT id, stopping FROM jobs
        WHERE stopping IS NOT NULL AND (stopping->>'requestedAtMs')::bigint < $1`,
      [olderThanMs],
    );
  }

  /** Every job placed on or running on the lost nodes goes back to the queue. */
  async requeueFromNodes(
    nodeIds: readonly string[],
    reason: string,
  ): Promise<{ id: string; node_id: string }[]> {
    if (nodeIds.length === 0) return [];
    const rows: [{ id: string; node_id: string }[], number] = await this.db.query(
      `WITH old AS (
         SELECT id, node_id FROM jobs WHERE node_id = ANY($1::text[]) AND state IN ${ACTIVE} FOR UPDATE)
       UPDATE jobs j SET state = 'requeued', state_reason = $2 || ' (was on ' || old.node_id || ')',
              node_id = NULL, device_ids = '{}', not_before = NULL
         FROM old WHERE j.id = old.id AND j.state IN ${ACTIVE}
        RETURNING old.id, old.node_id`,
      [nodeIds, reason],
    );
    return rows[0];
  }

  /** The current attempts that moved to running (their ids). */
  async markRunning(
    manager: EntityManager,
    reports: readonly { jobId: string; attempt: number; at: number; where: string }[],
  ): Promise<string[]> {
    if (reports.length === 0) return [];
    const rows: [{ id: string }[], number] = await manager.query(
      `UPDATE jobs j SET state = 'running', started_at = to_timestamp(r.at / 1000.0),
              state_reason = 'started on ' || r.location
         FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::int[]) AS attempt, unnest($3::float8[]) AS at,
                      unnest($4::text[]) AS location) AS r
        WHERE j.id = r.id AND j.attempt = r.attempt AND j.state = 'placed'
        RETURNING j.id`,
      [
        reports.map((r) => r.jobId),
        reports.map((r) => r.attempt),
        reports.map((r) => r.at),
        reports.map((r) => r.where),
      ],
    );
    return rows[0].map((r) => r.id);
  }

  /** Completions of the current attempt only; a late report of an older attempt matches nothing. */
  async markSucceeded(
    manager: EntityManager,
    reports: readonly {
      jobId: string;
      attempt: number;
      at: number;
      durationMs: number;
      output: KernelInputs;
      reason: string;
    }[],
  ): Promise<FinishedJob[]> {
    if (reports.length === 0) return [];
    const rows: [FinishedJob[], number] = await manager.query(
      `UPDATE jobs j SET state = 'succeeded', output = r.output, state_reason = r.reason, pending = NULL,
              started_at = coalesce(j.started_at, to_timestamp((r.at - r.duration) / 1000.0)),
              finished_at = to_timestamp(r.at / 1000.0)
         FROM json_to_recordset($1::json)
           AS r(id uuid, attempt int, at float8, duration float8, output jsonb, reason text)
        WHERE j.id = r.id AND j.attempt = r.attempt AND j.state IN ${ACTIVE}
        RETURNING j.id, j.tenant_id, j.workflow_id, j.node_id, j.state`,
      [
        JSON.stringify(
          reports.map((r) => ({
            id: r.jobId,
            attempt: r.attempt,
            at: r.at,
            duration: r.durationMs,
            output: r.output,
            reason: r.reason,
          })),
        ),
      ],
    );
    return rows[0];
  }

  /** A failed attempt: back to the queue after `retryAt`, or failed for good. */
  async markFailed(
    manager: EntityManager,
    reports: readonly {
      jobId: string;
      attempt: number;
      at: number;
      error: JobError;
      retryAt: number | null;
      reason: string;
    }[],
  ): Promise<FinishedJob[]> {
    if (reports.length === 0) return [];
    const rows: [FinishedJob[], number] = await manager.query(
      `UPDATE jobs j SET
              state = CASE WHEN r.retry_at IS NULL THEN 'failed' ELSE 'requeued' END,
              state_reason = r.reason, error = r.error,
              not_before = CASE WHEN r.retry_at IS NULL THEN NULL ELSE to_timestamp(r.retry_at / 1000.0) END,
              finished_at = CASE WHEN r.retry_at IS NULL THEN to_timestamp(r.at / 1000.0) ELSE NULL END,
              node_id = CASE WHEN r.retry_at IS NULL THEN j.node_id ELSE NULL END
         FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::int[]) AS attempt, unnest($3::float8[]) AS at,
                      unnest($4::jsonb[]) AS error, unnest($5::float8[]) AS retry_at,
                      unnest($6::text[]) AS reason) AS r
        WHERE j.id = r.id AND j.attempt = r.attempt AND j.state IN ${ACTIVE}
        RETURNING j.id, j.tenant_id, j.workflow_id, j.node_id, j.state`,
      [
        reports.map((r) => r.jobId),
        reports.map((r) => r.attempt),
        reports.map((r) => r.at),
        reports.map((r) => JSON.stringify(r.error)),
        reports.map((r) => r.retryAt),
        reports.map((r) => r.reason),
      ],
    );
    return rows[0];
  }

  /** Placed jobs that never started within `olderThan` on a node that does not list them. */
  async stalePlacements(olderThan: Date): Promise<{ id: string; node_id: string; attempt: number }[]> {
    return this.db.query(`SELECT id, node_id, attempt FROM jobs WHERE state = 'placed' AND placed_at < $1`, [
      olderThan,
    ]);
  }

  async requeueJobs(
    manager: EntityManager,
    writes: readonly (StateWrite & { attempt: number })[],
  ): Promise<string[]> {
    if (writes.length === 0) return [];
    const rows: [{ id: string }[], number] = await manager.query(
      `UPDATE jobs j SET state = 'requeued', state_reason = w.reason, node_id = NULL, device_ids = '{}'
         FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS reason, unnest($3::int[]) AS attempt) AS w
        WHERE j.id = w.id AND j.attempt = w.attempt AND j.state IN ${ACTIVE}
        RETURNING j.id`,
      [writes.map((w) => w.jobId), writes.map((w) => w.reason), writes.map((w) => w.attempt)],
    );
    return rows[0].map((r) => r.id);
  }
}
