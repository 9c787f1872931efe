import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { CreateKeyDto, CreatePrincipalDto, ListPrincipalsQuery } from './principal.dto.js';
import { PrincipalsService, type KeyView, type PrincipalView } from './principals.service.js';

@ApiTags('principals')
@ApiBearerAuth()
@Controller('admin')
export class PrincipalsController {
  constructor(@Inject(PrincipalsService) private readonly principals: PrincipalsService) {}

  @Post('principals')
  @Idempotent()
  @RequirePermission('write:principals')
  @ApiOperation({ summary: 'Create a user or service account (tenant admins: in their tenant)' })
  create(@CurrentActor() actor: RequestActor, @Body() dto: CreatePrincipalDto): Promise<PrincipalView> {
    return this.principals.create(actor, dto);
  }

  @Get('principals')
  @RequirePermission('read:principals')
  @ApiOperation({ summary: 'List principals (tenant principals: their tenant only)' })
  async list(
    @CurrentActor() actor: RequestActor,
    @Query() query: ListPrincipalsQuery,
  ): Promise<{ principals: PrincipalView[] }> {
    return { principals: await this.principals.list(actor, query.tenantId) };
  }

  @Get('principals/:id')
  @RequirePermission('read:principals')
  @ApiOperation({ summary: 'One principal with its keys (prefixes only)' })
  get(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
  ): Promise<PrincipalView & { keys: KeyView[] }> {
    return this.principals.get(actor, id);
  }

  @Post('principals/:id/disable')
  @HttpCode(200)
  @RequirePermission('write:principals')
  @ApiOperation({ summary: 'Disable a principal: all its keys are refused until it is enabled again' })
  disable(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<PrincipalView> {
    return this.principals.setDisabled(actor, id, true);
  }

  @Post('principals/:id/enable')
  @HttpCode(200)
  @RequirePermission('write:principals')
  @ApiOperation({ summary: 'Enable a disabled principal again (its keys work again)' })
  enable(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<PrincipalView> {
    return this.principals.setDisabled(actor, id, false);
  }

  @Post('principals/:id/keys')
  @Idempotent()
  @RequirePermission('manage:keys')
  @ApiOperation({ summary: 'Create an API key; the key is in this answer only' })
  createKey(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: CreateKeyDto,
  ): Promise<KeyView & { key: string }> {
    return this.principals.createKey(actor, id, dto);
  }

  @Delete('keys/:id')
  @RequirePermission('manage:keys')
  @ApiOperation({ summary: 'Revoke an API key (at once in this process)' })
  revokeKey(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<KeyView> {
    return this.principals.revokeKey(actor, id);
  }
}
