import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessControl, CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { DomainError } from '@voxelfleet/platform';
import { cohortMembers, cohortReport, quotaReport, type TenantSnapshot } from '@voxelfleet/scheduling';
import { IsOptional, IsUUID } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { TenantSnapshotsService } from '../usage/tenant-snapshots.service.js';
import { USAGE_SOURCE } from '../usage/tenant-usage.source.js';
import { ApiAuthErrors } from '../openapi/api-errors.js';
import { MeSchema } from '../openapi/principal.schema.js';
import { QuotaViewSchema } from '../openapi/tenant.schema.js';

export class QuotaQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Platform callers: which tenant' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

@ApiTags('self')
@ApiBearerAuth()
@Controller('v1')
export class MeController {
  constructor(
    @Inject(TenantSnapshotsService) private readonly snapshots: TenantSnapshotsService,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Get('me')
  @RequirePermission('read:self')
  @ApiOkResponse({ type: MeSchema, description: 'The principal behind the key' })
  @ApiAuthErrors()
  @ApiOperation({ summary: 'Who the key belongs to: principal, roles, tenant, live GPU grants' })
  async me(@CurrentActor() actor: RequestActor) {
    const { principal } = actor;
    const tenant =
      principal.tenantId === null
        ? undefined
        : (await this.snapshots.tenants([principal.tenantId]))[0]?.policy;
    return {
      id: principal.id,
      kind: principal.kind,
      name: principal.name,
      tenantId: principal.tenantId,
      roles: principal.roles,
      key: { id: principal.keyId, prefix: principal.keyPrefix },
      grants: principal.grants,
      tenant: tenant && {
        id: tenant.id,
        name: tenant.name,
        edition: tenant.edition.name,
        suspended: tenant.suspended,
        features: tenant.edition.features,
      },
    };
  }

  @Get('quota')
  @RequirePermission('read:quota')
  @ApiOkResponse({ type: QuotaViewSchema, description: 'Every quota with limit, usage and headroom' })
  @ApiAuthErrors(
    [400, 'A platform principal without tenantId, or a tenantId that is not a UUID'],
    [404, "No such tenant, or another tenant's"],
  )
  @ApiOperation({ summary: 'Limits, current usage and headroom of every quota; changes nothing' })
  async quota(@CurrentActor() actor: RequestActor, @Query() query: QuotaQuery) {
    const tenantId = actor.principal.tenantId ?? query.tenantId;
    if (tenantId === undefined) {
      throw new DomainError(400, 'bad_request', 'tenantId: a platform principal must name the tenant');
    }
    const nowMs = Date.now();
    const [found] = await this.snapshots.tenants([tenantId]);
    if (actor.principal.tenantId !== null && query.tenantId !== undefined && query.tenantId !== tenantId) {
      await this.access.ensure(
        actor,
        'read:quota',
        { tenantId: query.tenantId },
        { type: 'tenant', id: query.tenantId },
      );
    }
    await this.access.ensure(actor, 'read:quota', found ? { tenantId } : null, {
      type: 'tenant',
      id: tenantId,
    });
    const { policy, snapshot } = found as NonNullable<typeof found>;
    return {
      tenantId,
      edition: policy.edition.name,
      suspended: policy.suspended,
      features: policy.edition.features,
      at: new Date(nowMs).toISOString(),
      quotas: quotaReport(snapshot, nowMs),
      borrowing: cohortReport(snapshot, await this.cohortOf(snapshot)),
      usageSource: USAGE_SOURCE,
    };
  }

  private async cohortOf(tenant: TenantSnapshot): Promise<TenantSnapshot[]> {
    if (tenant.cohort === undefined) return [tenant];
    const all = await this.snapshots.tenants();
    return cohortMembers(
      tenant,
      all.map((t) => t.snapshot),
    );
  }
}
