import { grantedClassesFor, type AuthenticatedPrincipal } from '@voxelfleet/auth';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { BUILTIN_KERNELS } from '@voxelfleet/cuda';
import {
  findKernel,
  loadTenantPolicies,
  tenantSnapshotOf,
  type NewJobRow,
  type TenantPolicy,
} from '@voxelfleet/persistence';
import { DomainError } from '@voxelfleet/platform';
import {
  admitJob,
  DEFAULT_PRIORITY,
  fleetPicture,
  type JobSpec,
  type NodeSnapshot,
} from '@voxelfleet/scheduling';
import type { EntityManager } from 'typeorm';
import { storedNodeReport } from '../fleet/fleet-snapshot.js';
import type { JobRequestDto } from './job.dto.js';

const BUILTINS: ReadonlySet<string> = new Set(BUILTIN_KERNELS);
const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_MAX_ATTEMPTS = 3;

/** What submission checks need once per request, whatever the number of jobs. */
export interface IntakeContext {
  principal: AuthenticatedPrincipal;
  tenant: TenantPolicy;
  /** Every node the scheduler has registered, lost ones included (they may come back). */
  nodes: NodeSnapshot[];
  nowMs: number;
}

/** The tenant a request acts for: its own, or the one a platform caller names. */
export function tenantOfRequest(principal: AuthenticatedPrincipal, requested: string | undefined): string {
  if (principal.tenantId !== null) {
    if (requested !== undefined && requested !== principal.tenantId) {
      throw new DomainError(404, 'not_found', `tenant ${requested} not found`);
    }
    return principal.tenantId;
  }
  if (requested === undefined) {
    throw new DomainError(
      400,
      'bad_request',
      'tenantId: platform callers must name the tenant the job runs for',
    );
  }
  return requested;
}

export async function intakeContext(
  manager: EntityManager,
  principal: AuthenticatedPrincipal,
  tenantId: string,
  nowMs: number,
  nodeLostAfterMs: number,
): Promise<IntakeContext> {
  const [tenant] = await loadTenantPolicies(manager, [tenantId]);
  if (!tenant) throw new DomainError(404, 'not_found', `tenant ${tenantId} not found`);
  const rows: { id: string; last_heartbeat_at: Date; heartbeat: NodeHeartbeat }[] = await manager.query(
    `SELECT id, last_heartbeat_at, heartbeat FROM nodes ORDER BY id`,
  );
  const nodes = fleetPicture({
    reports: rows.map(storedNodeReport),
    running: [],
    nowMs,
    lostAfterMs: nodeLostAfterMs,
  });
  return { principal, tenant, nodes, nowMs };
}

/** How a run goes: its launches, and whether it checkpoints on a preemption notice. */
export interface RunOptions {
  launches: number;
  checkpointable: boolean;
  preemptionGraceMs: number;
}

/** A checkpointable job's default grace after a preemption notice. */
const DEFAULT_PREEMPTION_GRACE_MS = 30_000;

/**
 * The row to write, the device classes the principal's grants allow it (null: any), and how
 * its runs go.
 */
export type IntakenJob = Omit<NewJobRow, 'state' | 'stateReason'> & {
  grantedDeviceClasses: string[] | null;
  run: RunOptions;
};

/**
 * Checks one job as submitted and returns the row to write. Refused here, with the reason:
 * a kernel the caller holds no grant for, CPU fallback that no grant allows, a job no device
 * of the fleet could take within the device classes its grants allow, and anything
 * admission says can never run (suspended tenant, edition feature off, bigger than the
 * quota or the edition's ceiling, bigger than any registered node, deadline already past).
 * A job that only has to wait (quota in use, fleet busy) is accepted and waits.
 */
export async function intakeJob(
  manager: EntityManager,
  context: IntakeContext,
  dto: JobRequestDto,
  field = '',
): Promise<IntakenJob> {
  const { principal, tenant, nodes, nowMs } = context;
  const name = dto.kernel;
  if (dto.kernelId !== undefined) {
    const kernel = await findKernel(manager, dto.kernelId);
    if (!kernel || (kernel.tenantId !== null && kernel.tenantId !== tenant.id)) {
      throw new DomainError(404, 'not_found', `${field}kernelId: kernel ${dto.kernelId} not found`);
    }
    if (kernel.name !== name) {
      throw new DomainError(
        400,
        'bad_request',
        `${field}kernel: registered kernel ${dto.kernelId} is named ${kernel.name}`,
      );
    }
  } else if (!BUILTINS.has(name)) {
    throw new DomainError(
      400,
      'bad_request',
      `${field}kernel: ${name} is not a built-in kernel (${BUILTIN_KERNELS.join(', ')}); give kernelId for a registered one`,
    );
  }

  let cpuFallbackAllowed = dto.cpuFallbackAllowed ?? false;
  // Platform callers act for the platform and hold no grants: nothing narrows their devices.
  let grantedDeviceClasses: string[] | null = null;
  if (principal.tenantId !== null) {
    const granted = grantedClassesFor(principal.grants, name, new Date(nowMs));
    if (!granted.covered) {
      throw new DomainError(403, 'forbidden', `${field}kernel: no GPU grant covers kernel '${name}'`);
    }
    if (cpuFallbackAllowed && !granted.cpuFallback) {
      throw new DomainError(
        403,
        'forbidden',
        `${field}cpuFallbackAllowed: no grant allows '${name}' on the CPU fallback`,
      );
    }
    cpuFallbackAllowed = cpuFallbackAllowed && granted.cpuFallback;
    grantedDeviceClasses = granted.deviceClasses;
  }

  const affinity = dto.affinity
    ? Object.fromEntries(Object.entries(dto.affinity).filter(([, v]) => typeof v === 'string' && v !== ''))
    : null;
  const deadlineAt = dto.deadline === undefined ? null : new Date(dto.deadline);
  const spec: JobSpec = {
    id: 'submission',
    tenantId: tenant.id,
    kernel: { name, ...(dto.kernelId ? { custom: true } : {}) },
    vramBytesPerDevice: dto.vramBytes ?? 0,
    gpus: dto.gpus ?? 1,
    priority: dto.priority ?? DEFAULT_PRIORITY,
    submittedAtMs: nowMs,
    ...(deadlineAt ? { deadlineMs: deadlineAt.getTime() } : {}),
    ...(dto.estimatedDurationMs === undefined ? {} : { estimatedDurationMs: dto.estimatedDurationMs }),
    preemptible: dto.preemptible ?? false,
    ...(affinity && Object.keys(affinity).length > 0 ? { affinity } : {}),
    ...(grantedDeviceClasses === null ? {} : { grantedDeviceClasses }),
    cpuFallbackAllowed,
  };
  const verdict = admitJob(spec, tenantSnapshotOf(tenant), { nowMs, nodes });
  // With no node registered yet nothing can be judged against the fleet; the job waits.
  const fleetUnknown =
    nodes.length === 0 && verdict.verdict === 'reject' && verdict.rejection.code === 'never-fits-fleet';
  if (verdict.verdict === 'reject' && !fleetUnknown) {
    throw new DomainError(422, verdict.rejection.code, `${field}${verdict.rejection.reason}`, {
      code: verdict.rejection.code,
    });
  }
  if (dto.preemptionGraceSeconds !== undefined && dto.checkpointable !== true) {
    throw new DomainError(
      400,
      'bad_request',
      `${field}preemptionGraceSeconds: only a checkpointable job (checkpointable: true) has a grace`,
    );
  }
  return {
    tenantId: tenant.id,
    kernel: { name, ...(dto.kernelId ? { kernelId: dto.kernelId } : {}) },
    inputs: dto.inputs ?? {},
    vramBytes: spec.vramBytesPerDevice,
    gpus: spec.gpus,
    priority: spec.priority,
    deadlineAt,
    estimatedDurationMs: dto.estimatedDurationMs ?? null,
    timeoutMs: dto.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    preemptible: spec.preemptible,
    affinity: affinity && Object.keys(affinity).length > 0 ? affinity : null,
    cpuFallbackAllowed,
    maxAttempts: dto.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    grantedDeviceClasses,
    run: {
      launches: dto.launches ?? 1,
      checkpointable: dto.checkpointable ?? false,
      preemptionGraceMs:
        dto.checkpointable === true
          ? (dto.preemptionGraceSeconds ?? DEFAULT_PREEMPTION_GRACE_MS / 1000) * 1000
          : 0,
    },
  };
}

/** Writes how each job's runs go, where it differs from one plain launch, in the submitting transaction. */
export async function recordRunOptions(
  manager: EntityManager,
  jobs: readonly { id: string; run: RunOptions }[],
): Promise<void> {
  const special = jobs.filter((job) => job.run.launches !== 1 || job.run.checkpointable);
  if (special.length === 0) return;
  await manager.query(
    `UPDATE jobs SET launches = r.launches, checkpointable = r.checkpointable, preemption_grace_ms = r.grace
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, launches int, checkpointable boolean, grace int)
      WHERE jobs.id = r.id`,
    [
      JSON.stringify(
        special.map((job) => ({
          id: job.id,
          launches: job.run.launches,
          checkpointable: job.run.checkpointable,
          grace: job.run.preemptionGraceMs,
        })),
      ),
    ],
  );
}

/**
 * Writes the device classes each job's grants allow into its row, in the submitting
 * transaction, so the scheduler never sees the job without them. The job keeps the classes
 * granted when it was submitted; a later grant change applies to later submissions.
 */
export async function recordGrantedClasses(
  manager: EntityManager,
  jobs: readonly { id: string; grantedDeviceClasses: string[] | null }[],
): Promise<void> {
  const limited = jobs.filter((job) => job.grantedDeviceClasses !== null);
  if (limited.length === 0) return;
  await manager.query(
    `UPDATE jobs SET granted_device_classes = g.classes
       FROM jsonb_to_recordset($1::jsonb) AS g(id uuid, classes jsonb)
      WHERE jobs.id = g.id`,
    [JSON.stringify(limited.map((job) => ({ id: job.id, classes: job.grantedDeviceClasses })))],
  );
}
