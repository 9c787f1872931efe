import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AccessControl,
  CurrentActor,
  grantedClassesFor,
  RequirePermission,
  type RequestActor,
} from '@voxelfleet/auth';
import { DomainError } from '@voxelfleet/platform';
import {
  schedulingOptionsOf,
  simulate,
  type SchedulingOptions,
  type SimulationPlan,
} from '@voxelfleet/scheduling';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';
import { TenantSnapshotsService } from '../usage/tenant-snapshots.service.js';
import { USAGE_SOURCE } from '../usage/tenant-usage.source.js';
import { SimulateDto } from './simulate.dto.js';
import { ApiAuthErrors } from '../openapi/api-errors.js';
import { SimulateResultSchema } from '../openapi/simulate.schema.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

@ApiTags('gpu')
@ApiBearerAuth()
@Controller('admin/gpu/simulate')
export class SimulateController {
  /** The scheduler's seed and policy: a dry run decides as a pass would. */
  private readonly options: SchedulingOptions;

  constructor(
    @Inject(TenantSnapshotsService) private readonly snapshots: TenantSnapshotsService,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
  ) {
    this.options = schedulingOptionsOf(settings.scheduling);
  }

  @Post()
  @HttpCode(200)
  @RequirePermission('simulate:jobs')
  @ApiOkResponse({
    type: SimulateResultSchema,
    description: 'What would happen now; nothing is reserved, queued or stored',
  })
  @ApiAuthErrors(400, 413, [404, "No such tenant, or another tenant's"])
  @ApiOperation({
    summary:
      'Dry run of an allocation or job: admitted?, where, what blocks it and by how much, start, preemptions',
  })
  async simulate(@CurrentActor() actor: RequestActor, @Body() dto: SimulateDto) {
    const tenantId = dto.tenantId ?? actor.principal.tenantId;
    if (tenantId === null)
      throw new DomainError(400, 'bad_request', 'tenantId: a platform principal must name the tenant');
    const nowMs = Date.now();
    // The picture is as of its own time (up to 100 ms ago); the deadline counts from now.
    const { snapshot, digest } = await this.snapshots.fleetPicture(nowMs);
    const known = snapshot.tenants.some((t) => t.id === tenantId);
    await this.access.ensure(actor, 'simulate:jobs', known ? { tenantId } : null, {
      type: 'tenant',
      id: tenantId,
    });
    // Optional fields are set only when given (the plan has no undefined members).
    const plan: Mutable<SimulationPlan> = {
      tenantId,
      vramBytesPerDevice: dto.vramBytesPerDevice,
      gpus: dto.gpus,
      priority: dto.priority,
    };
    if (dto.deadlineInMs !== undefined) plan.deadlineMs = nowMs + dto.deadlineInMs;
    if (dto.estimatedDurationMs !== undefined) plan.estimatedDurationMs = dto.estimatedDurationMs;
    if (dto.preemptible !== undefined) plan.preemptible = dto.preemptible;
    if (dto.cpuFallbackAllowed !== undefined) plan.cpuFallbackAllowed = dto.cpuFallbackAllowed;
    if (dto.opensTrackingStream !== undefined) plan.opensTrackingStream = dto.opensTrackingStream;
    if (dto.kernel !== undefined)
      plan.kernel = { name: dto.kernel.name, ...(dto.kernel.custom ? { custom: true } : {}) };
    if (dto.affinity !== undefined) plan.affinity = { ...dto.affinity };
    const grantLimit = this.grantLimit(actor, plan.kernel?.name, nowMs);
    if (grantLimit) plan.grantedDeviceClasses = grantLimit.deviceClasses;
    const result = simulate(snapshot, plan, { ...this.options, snapshotDigest: digest });
    // Member by member, not `{ ...result, ... }`: see `withRecord` in libs/scheduling.
    return {
      dryRun: result.dryRun,
      decision: result.decision,
      reason: result.reason,
      outcome: result.outcome,
      admitted: result.admitted,
      placement: result.placement,
      blockers: result.blockers,
      rejection: result.rejection,
      estimatedStartMs: result.estimatedStartMs,
      estimateBasis: result.estimateBasis,
      preempted: result.preempted,
      borrowing: result.borrowing,
      grantLimit,
      changesNothing: 'dry run: nothing was reserved, queued or stored',
      estimatedStartAt:
        result.estimatedStartMs === null ? null : new Date(result.estimatedStartMs).toISOString(),
      basis: {
        nodes: snapshot.nodes.length,
        runningJobs: snapshot.running.length,
        usageSource: USAGE_SOURCE,
      },
    };
  }

  /**
   * Which of the caller's grants limit where the kernel may run, as submission would record
   * it. Null when nothing narrows it: a platform caller (no grants), no kernel named, or a
   * covering grant for any device. A kernel no grant covers is limited to no device at all.
   */
  private grantLimit(
    actor: RequestActor,
    kernel: string | undefined,
    nowMs: number,
  ): { kernel: string; grantIds: string[]; deviceClasses: string[] } | null {
    if (actor.principal.tenantId === null || kernel === undefined) return null;
    const granted = grantedClassesFor(actor.principal.grants, kernel, new Date(nowMs));
    if (granted.deviceClasses === null) return null;
    return { kernel, grantIds: granted.grantIds, deviceClasses: granted.deviceClasses };
  }
}
