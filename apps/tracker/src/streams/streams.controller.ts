import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { CreateStreamDto, UpdateStreamDto } from './stream.dto.js';
import { StreamResetService } from './stream-reset.service.js';
import { StreamsService, type StreamView } from './streams.service.js';

@ApiTags('streams')
@ApiBearerAuth()
@Controller('v1/streams')
export class StreamsController {
  constructor(
    @Inject(StreamsService) private readonly streams: StreamsService,
    @Inject(StreamResetService) private readonly resets: StreamResetService,
  ) {}

  @Post()
  @RequirePermission('write:streams')
  @ApiOperation({ summary: 'Create a stream: a rig, a voxel grid and tracking parameters' })
  create(@CurrentActor() actor: RequestActor, @Body() dto: CreateStreamDto): Promise<StreamView> {
    return this.streams.create(actor, dto);
  }

  @Get()
  @RequirePermission('read:streams')
  async list(@CurrentActor() actor: RequestActor): Promise<{ streams: StreamView[] }> {
    return { streams: await this.streams.list(actor) };
  }

  @Get(':id')
  @RequirePermission('read:streams')
  @ApiOperation({
    summary: 'A stream with its live state (fps, latency, cameras seen, tracks, node) and replay progress',
  })
  get(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<StreamView> {
    return this.streams.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('write:streams')
  update(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: UpdateStreamDto,
  ): Promise<StreamView> {
    return this.streams.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('write:streams')
  remove(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<void> {
    return this.streams.remove(actor, id);
  }

  @Post(':id/start')
  @HttpCode(200)
  @RequirePermission('write:streams')
  @ApiOperation({ summary: "Start (or resume) a stream; counts against the tenant's stream quota" })
  start(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<StreamView> {
    return this.streams.act(actor, id, 'start');
  }

  @Post(':id/pause')
  @HttpCode(200)
  @RequirePermission('write:streams')
  pause(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<StreamView> {
    return this.streams.act(actor, id, 'pause');
  }

  @Post(':id/stop')
  @HttpCode(200)
  @RequirePermission('write:streams')
  stop(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<StreamView> {
    return this.streams.act(actor, id, 'stop');
  }

  @Post(':id/reset')
  @HttpCode(200)
  @RequirePermission('write:streams')
  @ApiOperation({
    summary:
      "Start the stream's time over: queued frame-sets finish, then its frame time and tracking state are dropped, " +
      'so the next frame-set may carry any t (frame times otherwise increase, by at most a day)',
  })
  reset(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<StreamView> {
    return this.resets.reset(actor, id);
  }
}
