import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter } from '@voxelfleet/audit';
import { AccessControl, type RequestActor } from '@voxelfleet/auth';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import { criticalPath, validateWorkflow, type WorkflowSpec } from '@voxelfleet/scheduling';
import type { DataSource } from 'typeorm';
import { auditOrigin, isUuid } from '../common/actor-scope.js';
import { DEFAULT_GATEWAY_SETTINGS } from '../gateway.settings.js';
import {
  intakeContext,
  intakeJob,
  recordGrantedClasses,
  recordRunOptions,
  tenantOfRequest,
  type RunOptions,
} from './job-intake.js';
import { insertJobs, type NewJobRow } from '@voxelfleet/persistence';
import { JobsService } from './jobs.service.js';
import type { SubmitWorkflowDto } from './workflow.dto.js';

export interface WorkflowView {
  id: string;
  tenantId: string;
  name: string;
  state: string;
  reason: string | null;
  criticalPath: string[];
  createdAt: string;
  finishedAt: string | null;
  steps: {
    key: string;
    jobId: string;
    state: string;
    stateReason: string;
    boost: number;
    onCriticalPath: boolean;
    dependsOn: { step: string; onFailure: string }[];
  }[];
}

interface WorkflowRow {
  id: string;
  tenant_id: string;
  name: string;
  state: string;
  reason: string | null;
  critical_path: string[];
  created_at: Date;
  finished_at: Date | null;
}

/**
 * DAG workflows. The graph is validated at submit (unknown steps, duplicates and cycles are
 * refused, the cycle named), every step passes the same checks as a single job, and the
 * whole workflow is written in one transaction: steps without dependencies `submitted`,
 * the rest `waiting` until the scheduler releases them. Steps on the critical path start
 * with a priority boost.
 */
/** Submit-time fleet checks count lost nodes too, so the exact timeout only labels them. */
const NODE_LOST_AFTER_MS = DEFAULT_GATEWAY_SETTINGS.nodeLostAfterMs;

@Injectable()
export class WorkflowsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(JobsService) private readonly jobs: JobsService,
  ) {}

  async submit(actor: RequestActor, dto: SubmitWorkflowDto): Promise<WorkflowView> {
    const tenantId = tenantOfRequest(actor.principal, dto.tenantId);
    await this.access.ensure(actor, 'submit:jobs', { tenantId }, { type: 'workflow', id: null });
    const spec: WorkflowSpec = {
      nodes: dto.steps.map((step) => ({
        id: step.key,
        dependsOn: (step.dependsOn ?? []).map((d) => ({
          jobId: d.step,
          onFailure: d.onFailure ?? 'fail-workflow',
        })),
        ...(step.estimatedDurationMs === undefined ? {} : { estimatedDurationMs: step.estimatedDurationMs }),
      })),
    };
    const validation = validateWorkflow(spec);
    if (!validation.ok) {
      throw new DomainError(
        400,
        'invalid_workflow',
        `steps: ${validation.errors.map((e) => e.message).join('; ')}`,
        {
          errors: validation.errors.map((e) => ({
            code: e.code,
            message: e.message,
            ...(e.cycle ? { cycle: e.cycle } : {}),
          })),
        },
      );
    }
    const path = criticalPath(spec);
    const workflowId = randomUUID();
    const ids = new Map(dto.steps.map((step) => [step.key, randomUUID()]));
    const nowMs = Date.now();
    await this.db.transaction(async (manager) => {
      const context = await intakeContext(manager, actor.principal, tenantId, nowMs, NODE_LOST_AFTER_MS);
      const rows: NewJobRow[] = [];
      const granted: (string[] | null)[] = [];
      const runs: RunOptions[] = [];
      for (const [index, step] of dto.steps.entries()) {
        let intaken;
        try {
          intaken = await intakeJob(manager, context, step, `steps[${index}] (${step.key}): `);
        } catch (error) {
          // As for a single job: a step refused by admission is a tenant-affecting decision.
          if (error instanceof DomainError && error.status === 422) {
            await this.jobs.auditRejection(actor, tenantId, step.kernel, error.message);
          }
          throw error;
        }
        const { grantedDeviceClasses, run, ...checked } = intaken;
        granted.push(grantedDeviceClasses);
        runs.push(run);
        const root = (step.dependsOn ?? []).length === 0;
        rows.push({
          ...checked,
          id: ids.get(step.key),
          workflowId,
          step: step.key,
          state: root ? 'submitted' : 'waiting',
          stateReason: root ? 'submitted' : 'waiting for dependencies',
          boost: path.boosts[step.key] ?? 0,
        });
      }
      await manager.query(
        `INSERT INTO workflows (id, tenant_id, name, critical_path) VALUES ($1, $2, $3, $4)`,
        [workflowId, tenantId, dto.name ?? '', path.path.map((key) => ids.get(key) as string)],
      );
      await insertJobs(manager, rows);
      await recordGrantedClasses(
        manager,
        rows.map((row, index) => ({
          id: row.id as string,
          grantedDeviceClasses: granted[index] ?? null,
        })),
      );
      await recordRunOptions(
        manager,
        rows.flatMap((row, index) => {
          const run = runs[index];
          return run ? [{ id: row.id as string, run }] : [];
        }),
      );
      const edges = spec.nodes.flatMap((node) =>
        node.dependsOn.map((dep) => ({
          parent: ids.get(dep.jobId) as string,
          child: ids.get(node.id) as string,
          onFailure: dep.onFailure ?? 'fail-workflow',
        })),
      );
      if (edges.length > 0) {
        await manager.query(
          `INSERT INTO workflow_edges (workflow_id, parent_job_id, child_job_id, on_failure)
           SELECT $1, p, c, f FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS e(p, c, f)`,
          [workflowId, edges.map((e) => e.parent), edges.map((e) => e.child), edges.map((e) => e.onFailure)],
        );
      }
      await this.audit.append(manager, {
        tenantId,
        ...auditOrigin(actor),
        action: 'workflow.submitted',
        resource: { type: 'workflow', id: workflowId },
        outcome: 'succeeded',
        reason: null,
        diff: { steps: dto.steps.length, edges: edges.length, criticalPath: [...path.path] },
      });
    });
    await this.jobs.wake(dto.steps.length);
    return this.viewOf(workflowId);
  }

  async get(actor: RequestActor, id: string): Promise<WorkflowView> {
    const rows: { tenant_id: string }[] = isUuid(id)
      ? await this.db.query(`SELECT tenant_id FROM workflows WHERE id = $1`, [id])
      : [];
    const row = rows[0];
    await this.access.ensure(actor, 'read:jobs', row ? { tenantId: row.tenant_id } : null, {
      type: 'workflow',
      id,
    });
    return this.viewOf(id);
  }

  private async viewOf(id: string): Promise<WorkflowView> {
    const rows: WorkflowRow[] = await this.db.query(
      `SELECT id, tenant_id, name, state, reason, critical_path, created_at, finished_at FROM workflows WHERE id = $1`,
      [id],
    );
    const workflow = rows[0];
    if (!workflow) throw new DomainError(404, 'not_found', `workflow ${id} not found`);
    const steps: { id: string; step: string; state: string; state_reason: string; boost: number }[] =
      await this.db.query(
        `SELECT id, step, state, state_reason, boost FROM jobs WHERE workflow_id = $1 ORDER BY submitted_at, step`,
        [id],
      );
    const edges: { parent_job_id: string; child_job_id: string; on_failure: string }[] = await this.db.query(
      `SELECT parent_job_id, child_job_id, on_failure FROM workflow_edges WHERE workflow_id = $1`,
      [id],
    );
    const keyOf = new Map(steps.map((s) => [s.id, s.step]));
    const onPath = new Set(workflow.critical_path);
    return {
      id: workflow.id,
      tenantId: workflow.tenant_id,
      name: workflow.name,
      state: workflow.state,
      reason: workflow.reason,
      criticalPath: workflow.critical_path.map((jobId) => keyOf.get(jobId) ?? jobId),
      createdAt: workflow.created_at.toISOString(),
      finishedAt: workflow.finished_at?.toISOString() ?? null,
      steps: steps.map((s) => ({
        key: s.step,
        jobId: s.id,
        state: s.state,
        stateReason: s.state_reason,
        boost: s.boost,
        onCriticalPath: onPath.has(s.id),
        dependsOn: edges
          .filter((e) => e.child_job_id === s.id)
          .map((e) => ({ step: keyOf.get(e.parent_job_id) ?? e.parent_job_id, onFailure: e.on_failure })),
      })),
    };
  }
}
