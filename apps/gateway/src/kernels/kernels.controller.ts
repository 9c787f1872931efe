import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { RegisterKernelDto } from './kernel.dto.js';
import { KernelsService, type KernelView } from './kernels.service.js';

@ApiTags('gpu')
@ApiBearerAuth()
@Controller('admin/gpu/kernels')
export class KernelsController {
  constructor(@Inject(KernelsService) private readonly kernels: KernelsService) {}

  @Get()
  @RequirePermission('read:kernels')
  @ApiOperation({ summary: 'Registered signed kernels (without PTX)' })
  async list(@CurrentActor() actor: RequestActor): Promise<{ kernels: KernelView[] }> {
    return { kernels: await this.kernels.list(actor) };
  }

  @Post()
  @Idempotent()
  @RequirePermission('register:kernels')
  @ApiOperation({
    summary: 'Register a signed PTX kernel with its public key; the signature is verified here',
  })
  register(@CurrentActor() actor: RequestActor, @Body() dto: RegisterKernelDto): Promise<KernelView> {
    return this.kernels.register(actor, dto);
  }
}
