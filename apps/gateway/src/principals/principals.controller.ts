import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { CreateKeyDto, CreatePrincipalDto, ListPrincipalsQuery } from './principal.dto.js';
import { PrincipalsService, type KeyView, type PrincipalView } from './principals.service.js';
import { ApiAuthErrors, IDEMPOTENCY_ERRORS } from '../openapi/api-errors.js';
import {
  ApiKeySchema,
  CreatedApiKeySchema,
  PrincipalListSchema,
  PrincipalSchema,
  PrincipalWithKeysSchema,
} from '../openapi/principal.schema.js';

@ApiTags('principals')
@ApiBearerAuth()
@Controller('admin')
export class PrincipalsController {
  constructor(@Inject(PrincipalsService) private readonly principals: PrincipalsService) {}

  @Post('principals')
  @Idempotent()
  @RequirePermission('write:principals')
  @ApiCreatedResponse({ type: PrincipalSchema, description: 'The principal (it has no key yet)' })
  @ApiAuthErrors(
    400,
    413,
    [403, 'The key lacks write:principals, or may not hand out these roles'],
    [404, "No such tenant, or another tenant's"],
    [409, 'A principal with this name exists in the tenant'],
    ...IDEMPOTENCY_ERRORS,
  )
  @ApiOperation({ summary: 'Create a user or service account (tenant admins: in their tenant)' })
  create(@CurrentActor() actor: RequestActor, @Body() dto: CreatePrincipalDto): Promise<PrincipalView> {
    return this.principals.create(actor, dto);
  }

  @Get('principals')
  @RequirePermission('read:principals')
  @ApiOkResponse({ type: PrincipalListSchema, description: 'Principals' })
  @ApiAuthErrors(400, [404, 'tenantId of another tenant'])
  @ApiOperation({ summary: 'List principals (tenant principals: their tenant only)' })
  async list(
    @CurrentActor() actor: RequestActor,
    @Query() query: ListPrincipalsQuery,
  ): Promise<{ principals: PrincipalView[] }> {
    return { principals: await this.principals.list(actor, query.tenantId) };
  }

  @Get('principals/:id')
  @RequirePermission('read:principals')
  @ApiOkResponse({
    type: PrincipalWithKeysSchema,
    description: 'The principal with its keys (never a secret)',
  })
  @ApiAuthErrors(404)
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
  @ApiOkResponse({ type: PrincipalSchema, description: 'The principal, disabled (disabledAt set)' })
  @ApiAuthErrors(
    404,
    [403, 'The key lacks write:principals, or may not manage a principal with these roles'],
    [409, 'A principal cannot disable itself'],
  )
  @ApiOperation({ summary: 'Disable a principal: all its keys are refused until it is enabled again' })
  disable(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<PrincipalView> {
    return this.principals.setDisabled(actor, id, true);
  }

  @Post('principals/:id/enable')
  @HttpCode(200)
  @RequirePermission('write:principals')
  @ApiOkResponse({ type: PrincipalSchema, description: 'The principal, enabled (disabledAt null)' })
  @ApiAuthErrors(404, [403, 'The key lacks write:principals, or may not manage a principal with these roles'])
  @ApiOperation({ summary: 'Enable a disabled principal again (its keys work again)' })
  enable(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<PrincipalView> {
    return this.principals.setDisabled(actor, id, false);
  }

  @Post('principals/:id/keys')
  @Idempotent()
  @RequirePermission('manage:keys')
  @ApiCreatedResponse({
    type: CreatedApiKeySchema,
    description: 'The key; its secret (key) is shown in this answer only',
  })
  @ApiAuthErrors(
    400,
    404,
    413,
    [403, 'The key lacks manage:keys, or may not mint keys for a principal with these roles'],
    ...IDEMPOTENCY_ERRORS,
  )
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
  @ApiOkResponse({ type: ApiKeySchema, description: 'The key, revoked' })
  @ApiAuthErrors(404)
  @ApiOperation({ summary: 'Revoke an API key (at once in this process)' })
  revokeKey(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<KeyView> {
    return this.principals.revokeKey(actor, id);
  }
}
