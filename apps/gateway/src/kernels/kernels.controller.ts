import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { RegisterKernelDto } from './kernel.dto.js';
import { KernelsService, type KernelView } from './kernels.service.js';
import { ApiAuthErrors, IDEMPOTENCY_ERRORS } from '../openapi/api-errors.js';
import { KernelListSchema, KernelSchema } from '../openapi/fleet.schema.js';

@ApiTags('gpu')
@ApiBearerAuth()
@Controller('admin/gpu/kernels')
export class KernelsController {
  constructor(@Inject(KernelsService) private readonly kernels: KernelsService) {}

  @Get()
  @RequirePermission('read:kernels')
  @ApiOkResponse({ type: KernelListSchema, description: 'Kernels in scope, without PTX' })
  @ApiAuthErrors()
  @ApiOperation({ summary: 'Registered signed kernels (without PTX)' })
  async list(@CurrentActor() actor: RequestActor): Promise<{ kernels: KernelView[] }> {
    return { kernels: await this.kernels.list(actor) };
  }

  @Post()
  @Idempotent()
  @RequirePermission('register:kernels')
  @ApiCreatedResponse({ type: KernelSchema, description: 'The registered kernel, without PTX' })
  @ApiAuthErrors(
    413,
    [400, 'Validation failed (the message names the field), or publicKeyPem is not an ed25519 SPKI PEM key'],
    [404, "No such tenant, or another tenant's"],
    [409, 'The manifest key id is registered with another key'],
    [
      422,
      "Signature or PTX hash does not verify, the key is revoked, or the tenant's edition has no signed custom kernels",
    ],
    ...IDEMPOTENCY_ERRORS,
  )
  @ApiOperation({
    summary: 'Register a signed PTX kernel with its public key; the signature is verified here',
  })
  register(@CurrentActor() actor: RequestActor, @Body() dto: RegisterKernelDto): Promise<KernelView> {
    return this.kernels.register(actor, dto);
  }
}
