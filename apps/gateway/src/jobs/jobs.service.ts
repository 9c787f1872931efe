import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter } from '@voxelfleet/audit';
import { AccessControl, type RequestActor } from '@voxelfleet/auth';
import { CANCELLABLE_JOB_STATES, JOB_STOP, nodeControlQueue, type JobStop } from '@voxelfleet/contracts';
import type { StoppingRun } from '@voxelfleet/scheduling';
import { DATA_SOURCE, DomainError, TRANSPORT } from '@voxelfleet/platform';
import type { Transport } from '@voxelfleet/transport';
import type { DataSource } from 'typeorm';
import { auditOrigin, isUuid } from '../common/actor-scope.js';
import { DEFAULT_GATEWAY_SETTINGS } from '../gateway.settings.js';
import type { ListJobsQuery, SubmitJobDto } from './job.dto.js';
import {
  intakeContext,
  intakeJob,
  recordGrantedClasses,
  recordRunOptions,
  tenantOfRequest,
} from './job-intake.js';
import { insertJobs } from '@voxelfleet/persistence';
import {
  JOB_COLUMNS,
  jobView,
  pendingView,
  type JobRow,
  type JobView,
  type PendingView,
} from './job-views.js';

export interface JobDetail extends JobView {
  pending: PendingView | null;
  transitions: {
    from: string | null;
    to: string;
    at: string;
    reason: string;
    nodeId: string | null;
    attempt: number;
  }[];
}

/**
 * Job submission and reads. Submission writes the row `submitted` (with its audit entry, in
 * one transaction) and wakes the scheduler; the scheduler leader takes it from there.
 */
/** Submit-time fleet checks count lost nodes too, so the exact timeout only labels them. */
const NODE_LOST_AFTER_MS = DEFAULT_GATEWAY_SETTINGS.nodeLostAfterMs;

@Injectable()
export class JobsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  async submit(actor: RequestActor, dto: SubmitJobDto): Promise<JobDetail> {
    const tenantId = tenantOfRequest(actor.principal, dto.tenantId);
    await this.access.ensure(actor, 'submit:jobs', { tenantId }, { type: 'job', id: null });
    const nowMs = Date.now();
    const id = await this.db.transaction(async (manager) => {
      const context = await intakeContext(manager, actor.principal, tenantId, nowMs, NODE_LOST_AFTER_MS);
      let row;
      try {
        row = await intakeJob(manager, context, dto);
      } catch (error) {
        if (error instanceof DomainError && error.status === 422) {
          // A refusal by admission is a tenant-affecting decision: it is audited on its own.
          await this.auditRejection(actor, tenantId, dto.kernel, error.message);
        }
        throw error;
      }
      const { grantedDeviceClasses, run, ...fields } = row;
      const [jobId] = await insertJobs(manager, [
        { ...fields, state: 'submitted', stateReason: 'submitted' },
      ]);
      await recordGrantedClasses(manager, [{ id: jobId as string, grantedDeviceClasses }]);
      await recordRunOptions(manager, [{ id: jobId as string, run }]);
      await this.audit.append(manager, {
        tenantId,
        ...auditOrigin(actor),
        action: 'job.submitted',
        resource: { type: 'job', id: jobId ?? null },
        outcome: 'succeeded',
        reason: null,
        diff: {
          kernel: row.kernel.name,
          priority: row.priority,
          vramBytes: row.vramBytes,
          gpus: row.gpus,
          grantedDeviceClasses,
        },
      });
      return jobId as string;
    });
    await this.wake(1);
    return this.detailOf(id);
  }

  async list(actor: RequestActor, query: ListJobsQuery): Promise<JobView[]> {
    const scope = actor.principal.tenantId ?? query.tenantId ?? null;
    if (actor.principal.tenantId !== null && query.tenantId !== undefined && query.tenantId !== scope)
      return [];
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope !== null) {
      params.push(scope);
      where.push(`tenant_id = $${params.length}`);
    }
    if (query.state !== undefined) {
      params.push(query.state);
      where.push(`state = $${params.length}`);
    }
    params.push(query.limit ?? 50);
    const rows: JobRow[] = await this.db.query(
      `SELECT ${JOB_COLUMNS} FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY submitted_at DESC, id LIMIT $${params.length}`,
      params,
    );
    return rows.map(jobView);
  }

  async get(actor: RequestActor, id: string): Promise<JobDetail> {
    const row = isUuid(id) ? await this.row(id) : null;
    await this.access.ensure(actor, 'read:jobs', row ? { tenantId: row.tenant_id } : null, {
      type: 'job',
      id,
    });
    return this.detailOf(id);
  }

  /**
   * Cancels a job that has not finished. A job already placed on a node is told to stop there
   * (a JobStop on the node's control queue): its node stops it at the next launch boundary and
   * confirms, and until then its room stays held (`jobs.stopping`); its result, should it
   * finish first, is not recorded. A stop message lost here is sent again by the scheduler.
   */
  async cancel(actor: RequestActor, id: string): Promise<JobDetail> {
    const row = isUuid(id) ? await this.row(id) : null;
    await this.access.ensure(actor, 'cancel:jobs', row ? { tenantId: row.tenant_id } : null, {
      type: 'job',
      id,
    });
    const current = row as JobRow;
    const stopping = await this.db.transaction(async (manager) => {
      const updated: [{ id: string; stopping: StoppingRun | null }[], number] = await manager.query(
        `UPDATE jobs SET state = 'cancelled', state_reason = $2, finished_at = clock_timestamp(), pending = NULL,
                stopping = CASE WHEN state IN ('placed', 'running') AND node_id IS NOT NULL THEN
                  jsonb_build_object('attempt', attempt, 'nodeId', node_id, 'deviceIds', to_jsonb(device_ids),
                    'vramBytesPerDevice', vram_bytes, 'reason', 'cancelled', 'graceMs', 0,
                    'requestedAtMs', $4::bigint) END
          WHERE id = $1 AND state = ANY($3::text[]) RETURNING id, stopping`,
        [id, `cancelled by ${actor.principal.name}`, CANCELLABLE_JOB_STATES, Date.now()],
      );
      if (updated[0].length === 0) {
        throw new DomainError(
          409,
          'conflict',
          `job ${id} is ${current.state} and can no longer be cancelled`,
        );
      }
      await this.audit.append(manager, {
        tenantId: current.tenant_id,
        ...auditOrigin(actor),
        action: 'job.cancelled',
        resource: { type: 'job', id },
        outcome: 'succeeded',
        reason: null,
        diff: {
          before: { state: current.state },
          after: { state: 'cancelled' },
          ...(updated[0][0]?.stopping ? { stopOn: updated[0][0].stopping.nodeId } : {}),
        },
      });
      return updated[0][0]?.stopping ?? null;
    });
    if (stopping) await this.tellNodeToStop(id, stopping);
    await this.wake(0);
    return this.detailOf(id);
  }

  async detailOf(id: string): Promise<JobDetail> {
    const row = await this.row(id);
    if (!row) throw new DomainError(404, 'not_found', `job ${id} not found`);
    const transitions: {
      from_state: string | null;
      to_state: string;
      at: Date;
      reason: string;
      node_id: string | null;
      attempt: number;
    }[] = await this.db.query(
      `SELECT from_state, to_state, at, reason, node_id, attempt FROM job_transitions WHERE job_id = $1 ORDER BY id`,
      [id],
    );
    return {
      ...jobView(row),
      pending: pendingView(row, Date.now()),
      transitions: transitions.map((t) => ({
        from: t.from_state,
        to: t.to_state,
        at: t.at.toISOString(),
        reason: t.reason,
        nodeId: t.node_id,
        attempt: t.attempt,
      })),
    };
  }

  /** Tells the scheduler there is work; it also polls, so a lost wake-up only costs a tick. */
  /** The stop of a cancelled run, on its node's control queue (the scheduler sends it again if this fails). */
  private async tellNodeToStop(jobId: string, stopping: StoppingRun): Promise<void> {
    const stop: JobStop = {
      jobId,
      attempt: stopping.attempt,
      reason: 'cancelled',
      graceMs: 0,
      at: Date.now(),
    };
    await this.transport.enqueue(nodeControlQueue(stopping.nodeId), JOB_STOP, stop).catch(() => undefined);
  }

  async wake(count: number): Promise<void> {
    await this.transport.publish('jobs.submitted', { count, at: Date.now() }).catch(() => undefined);
  }

  private async row(id: string): Promise<JobRow | null> {
    const rows: JobRow[] = await this.db.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** A submission refused by admission (422), audited in a transaction of its own. */
  async auditRejection(actor: RequestActor, tenantId: string, kernel: string, reason: string): Promise<void> {
    await this.db.transaction((manager) =>
      this.audit.append(manager, {
        tenantId,
        ...auditOrigin(actor),
        action: 'job.rejected',
        resource: { type: 'job', id: null },
        outcome: 'failed',
        reason,
        diff: { kernel },
      }),
    );
  }
}
