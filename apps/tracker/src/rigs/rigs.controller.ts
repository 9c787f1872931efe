import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { CreateRigDto, ImportRigDto, UpdateRigDto } from './rig.dto.js';
import { RigsService, type RigView } from './rigs.service.js';

@ApiTags('rigs')
@ApiBearerAuth()
@Controller('v1/rigs')
export class RigsController {
  constructor(@Inject(RigsService) private readonly rigs: RigsService) {}

  @Post()
  @RequirePermission('write:rigs')
  @ApiOperation({ summary: 'Create a rig: per camera intrinsics, distortion, pose and resolution' })
  create(@CurrentActor() actor: RequestActor, @Body() dto: CreateRigDto): Promise<RigView> {
    return this.rigs.create(actor, dto);
  }

  @Post('import')
  @RequirePermission('write:rigs')
  @ApiOperation({ summary: "Create a rig from the original projector's metadata.json" })
  import(@CurrentActor() actor: RequestActor, @Body() dto: ImportRigDto): Promise<RigView> {
    return this.rigs.import(actor, dto);
  }

  @Get()
  @RequirePermission('read:rigs')
  async list(@CurrentActor() actor: RequestActor): Promise<{ rigs: RigView[] }> {
    return { rigs: await this.rigs.list(actor) };
  }

  @Get(':id')
  @RequirePermission('read:rigs')
  get(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<RigView> {
    return this.rigs.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('write:rigs')
  update(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: UpdateRigDto,
  ): Promise<RigView> {
    return this.rigs.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('write:rigs')
  remove(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<void> {
    return this.rigs.remove(actor, id);
  }
}
