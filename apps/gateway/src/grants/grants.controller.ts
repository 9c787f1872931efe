import { Body, Controller, Delete, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { CreateGrantDto, ListGrantsQuery } from './grant.dto.js';
import { GrantsService, type GrantView } from './grants.service.js';
import { ApiAuthErrors, IDEMPOTENCY_ERRORS } from '../openapi/api-errors.js';
import { GrantListSchema, GrantSchema } from '../openapi/principal.schema.js';

@ApiTags('grants')
@ApiBearerAuth()
@Controller('admin/grants')
export class GrantsController {
  constructor(@Inject(GrantsService) private readonly grants: GrantsService) {}

  @Post()
  @Idempotent()
  @RequirePermission('manage:grants')
  @ApiCreatedResponse({ type: GrantSchema, description: 'The grant; it applies at once' })
  @ApiAuthErrors(
    400,
    413,
    [404, "No such principal, or another tenant's"],
    [422, "cpuFallback where the tenant's edition has no CPU fallback"],
    ...IDEMPOTENCY_ERRORS,
  )
  @ApiOperation({ summary: 'Give a principal a GPU capability grant (GPU use is denied by default)' })
  create(@CurrentActor() actor: RequestActor, @Body() dto: CreateGrantDto): Promise<GrantView> {
    return this.grants.create(actor, dto);
  }

  @Get()
  @RequirePermission('read:grants')
  @ApiOkResponse({ type: GrantListSchema, description: 'Grants' })
  @ApiAuthErrors(400, [404, 'tenantId of another tenant'])
  @ApiOperation({ summary: 'List grants (tenant principals: their tenant only)' })
  async list(
    @CurrentActor() actor: RequestActor,
    @Query() query: ListGrantsQuery,
  ): Promise<{ grants: GrantView[] }> {
    return { grants: await this.grants.list(actor, query) };
  }

  @Delete(':id')
  @RequirePermission('manage:grants')
  @ApiOkResponse({ type: GrantSchema, description: 'The grant, revoked (revoking twice answers the same)' })
  @ApiAuthErrors(404)
  @ApiOperation({ summary: 'Revoke a grant (at once)' })
  revoke(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<GrantView> {
    return this.grants.revoke(actor, id);
  }
}
