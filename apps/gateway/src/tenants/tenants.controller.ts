import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { OptionalBody } from '@voxelfleet/platform';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { CohortDto, CreateTenantDto, QuotaDto, SuspendTenantDto, UpdateTenantDto } from './tenant.dto.js';
import { TenantsService, type TenantView } from './tenants.service.js';
import { ApiAuthErrors, IDEMPOTENCY_ERRORS } from '../openapi/api-errors.js';
import { TenantListSchema, TenantSchema } from '../openapi/tenant.schema.js';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('admin/tenants')
export class TenantsController {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @Post()
  @Idempotent()
  @RequirePermission('write:tenants')
  @ApiCreatedResponse({
    type: TenantSchema,
    description: 'The tenant, with its effective limits and edition features',
  })
  @ApiAuthErrors(
    400,
    413,
    [409, 'A tenant with this name exists'],
    [422, "Unknown edition, or a quota above the edition's ceiling"],
    ...IDEMPOTENCY_ERRORS,
  )
  @ApiOperation({ summary: 'Create a tenant (platform admin)' })
  create(@CurrentActor() actor: RequestActor, @Body() dto: CreateTenantDto): Promise<TenantView> {
    return this.tenants.create(actor, dto);
  }

  @Get()
  @RequirePermission('read:tenants')
  @ApiOkResponse({ type: TenantListSchema, description: 'Tenants by name (at most 1000)' })
  @ApiAuthErrors()
  @ApiOperation({ summary: 'List tenants (a tenant principal sees its own)' })
  async list(@CurrentActor() actor: RequestActor): Promise<{ tenants: TenantView[] }> {
    return { tenants: await this.tenants.list(actor) };
  }

  @Get(':id')
  @RequirePermission('read:tenants')
  @ApiOkResponse({ type: TenantSchema, description: 'The tenant' })
  @ApiAuthErrors(404)
  @ApiOperation({ summary: 'One tenant with its edition features and effective limits' })
  get(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<TenantView> {
    return this.tenants.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('write:tenants')
  @ApiOkResponse({ type: TenantSchema, description: 'The tenant as changed' })
  @ApiAuthErrors(
    400,
    404,
    413,
    [409, 'A tenant with this name exists'],
    [422, "Unknown edition, or the tenant's own quota is above the new edition's ceiling"],
  )
  @ApiOperation({ summary: 'Rename, change edition, weight or placement policy' })
  update(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: UpdateTenantDto,
  ): Promise<TenantView> {
    return this.tenants.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('write:tenants')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiAuthErrors(404, [409, 'The tenant still has objects that must be removed first'])
  @ApiOperation({ summary: 'Delete a tenant with its principals, keys and grants (its audit chain stays)' })
  async remove(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<void> {
    await this.tenants.remove(actor, id);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @RequirePermission('suspend:tenants')
  @OptionalBody()
  @ApiOkResponse({ type: TenantSchema, description: 'The tenant, suspended' })
  @ApiAuthErrors(400, 404, 413)
  @ApiOperation({ summary: "Suspend: the tenant's new jobs are refused" })
  suspend(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: SuspendTenantDto,
  ): Promise<TenantView> {
    return this.tenants.setSuspended(actor, id, true, dto.reason);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequirePermission('suspend:tenants')
  @OptionalBody()
  @ApiOkResponse({ type: TenantSchema, description: 'The tenant, active' })
  @ApiAuthErrors(400, 404, 413)
  @ApiOperation({ summary: 'Resume a suspended tenant' })
  resume(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: SuspendTenantDto,
  ): Promise<TenantView> {
    return this.tenants.setSuspended(actor, id, false, dto.reason);
  }

  @Put(':id/quota')
  @RequirePermission('write:quota')
  @ApiOkResponse({ type: TenantSchema, description: 'The tenant with its new overrides and limits' })
  @ApiAuthErrors(400, 404, 413, [
    422,
    "A limit above the edition's ceiling (the message names it); nothing is changed",
  ])
  @ApiOperation({ summary: "Replace the tenant's own limits (each within its edition's ceiling)" })
  setQuota(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: QuotaDto,
  ): Promise<TenantView> {
    return this.tenants.setQuota(actor, id, dto);
  }

  @Put(':id/cohort')
  @RequirePermission('write:quota')
  @ApiOkResponse({ type: TenantSchema, description: 'The tenant with its cohort and borrowing limit' })
  @ApiAuthErrors(400, 404, 413)
  @ApiOperation({
    summary:
      "Set the tenant's cohort (tenants of one cohort lend each other unused quota) and how far beyond its own limits it may borrow",
  })
  setCohort(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: CohortDto,
  ): Promise<TenantView> {
    return this.tenants.setCohort(actor, id, dto);
  }
}
