import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RateLimit, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { ConsumesBody } from '@voxelfleet/platform';
import type { Request, Response } from 'express';
import { toCsv, toGeoJson, toNdjson, type TrackPointView } from '../history/track-export.js';
import { TrackHistoryService } from '../history/track-history.service.js';
import { TracksQueryDto } from '../history/tracks-query.dto.js';
import { ReplayService, type ReplayStarted } from '../replay/replay.service.js';
import type { FrameSetOutcome } from '../runtime/stream-runtime.js';
import { DEFAULT_TRACKER_SETTINGS as LIMITS, FRAME_SETS_PER_WINDOW } from '../tracker.settings.js';
import { MaxBodyBytes } from './body-size.interceptor.js';
import { IngestService } from './ingest.service.js';
import type { UploadedImage } from './uploaded-file.js';

/** Frames in, replays in, history out: the per-stream data routes. */
@ApiTags('streams')
@ApiBearerAuth()
@Controller('v1/streams')
export class IngestController {
  constructor(
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(ReplayService) private readonly replay: ReplayService,
    @Inject(TrackHistoryService) private readonly history: TrackHistoryService,
  ) {}

  @Post(':id/frames')
  @HttpCode(200)
  @RequirePermission('ingest:streams')
  @RateLimit(FRAME_SETS_PER_WINDOW)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ConsumesBody('multipart/form-data', 'application/json')
  @ApiOperation({
    summary:
      'A frame-set: multipart with field t and one image (PNG, PGM or raw) per camera named by camera id or cam<k>; ' +
      'or JSON { t, cameras: [{ indices, weights? } | null] } of motion pixels',
  })
  @UseInterceptors(
    MaxBodyBytes(LIMITS.maxFrameSetBytes),
    AnyFilesInterceptor({
      limits: { fileSize: LIMITS.maxImageBytes, files: 32, fields: 4, fieldSize: 1024, parts: 40 },
    }),
  )
  frames(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Req() request: Request,
    @UploadedFiles() files: UploadedImage[] | undefined,
    @Body() body: unknown,
  ): Promise<FrameSetOutcome> {
    if (request.is('multipart/form-data')) return this.ingest.frames(actor, id, files ?? [], body);
    return this.ingest.motion(actor, id, body);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @RequirePermission('ingest:streams')
  @ApiConsumes('multipart/form-data')
  @ConsumesBody('multipart/form-data')
  @ApiOperation({
    summary:
      'Replay a recording: part "metadata" (metadata.json) plus one part per image named by its image_file; ' +
      'fields speed=real|max, fps. Progress in GET /v1/streams/:id and as stream.progress',
  })
  @UseInterceptors(
    MaxBodyBytes(LIMITS.maxReplayBytes),
    AnyFilesInterceptor({
      limits: {
        fileSize: LIMITS.maxImageBytes,
        files: LIMITS.maxReplayFiles,
        fields: 4,
        fieldSize: 1024,
        fieldNameSize: 512,
        parts: LIMITS.maxReplayFiles + 8,
      },
    }),
  )
  startReplay(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @UploadedFiles() files: UploadedImage[] | undefined,
    @Body() body: unknown,
  ): Promise<ReplayStarted> {
    return this.replay.start(actor, id, files ?? [], body);
  }

  @Get(':id/tracks')
  @RequirePermission('read:streams')
  @ApiOperation({
    summary:
      'Track history from Postgres (from/to seconds, trackId); format=json|ndjson|csv|geojson. ' +
      'On a georeferenced rig every point also carries wgs84 {lat, lon, hae}',
  })
  async tracks(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Query() query: TracksQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ tracks: TrackPointView[] } | string | ReturnType<typeof toGeoJson>> {
    const { points, georeferenced } = await this.history.read(actor, id, query);
    if (query.format === 'geojson') {
      response.type('application/geo+json');
      return toGeoJson(points);
    }
    if (query.format === 'ndjson') {
      response.type('application/x-ndjson');
      return toNdjson(points);
    }
    if (query.format === 'csv') {
      response.type('text/csv');
      response.setHeader('content-disposition', `attachment; filename="tracks-${id}.csv"`);
      return toCsv(points, georeferenced);
    }
    return { tracks: points };
  }
}
