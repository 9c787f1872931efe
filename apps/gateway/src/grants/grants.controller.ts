import { Body, Controller, Delete, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { CreateGrantDto, ListGrantsQuery } from './grant.dto.js';
import { GrantsService, type GrantView } from './grants.service.js';

@ApiTags('grants')
@ApiBearerAuth()
@Controller('admin/grants')
export class GrantsController {
  constructor(@Inject(GrantsService) private readonly grants: GrantsService) {}

  @Post()
  @Idempotent()
  @RequirePermission('manage:grants')
  @ApiOperation({ summary: 'Give a principal a GPU capability grant (GPU use is denied by default)' })
  create(@CurrentActor() actor: RequestActor, @Body() dto: CreateGrantDto): Promise<GrantView> {
    return this.grants.create(actor, dto);
  }

  @Get()
  @RequirePermission('read:grants')
  @ApiOperation({ summary: 'List grants (tenant principals: their tenant only)' })
  async list(
    @CurrentActor() actor: RequestActor,
    @Query() query: ListGrantsQuery,
  ): Promise<{ grants: GrantView[] }> {
    return { grants: await this.grants.list(actor, query) };
  }

  @Delete(':id')
  @RequirePermission('manage:grants')
  @ApiOperation({ summary: 'Revoke a grant (at once)' })
  revoke(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<GrantView> {
    return this.grants.revoke(actor, id);
  }
}
