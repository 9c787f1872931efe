import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard, AuthModule } from '@voxelfleet/auth';
import { CoreModule, type AppInfra } from '@voxelfleet/platform';
import { consoleCors } from './common/console-cors.middleware.js';
import { TrackHistoryService } from './history/track-history.service.js';
import { TrackHistoryWriter } from './history/track-history.writer.js';
import { IngestController } from './ingest/ingest.controller.js';
import { IngestService } from './ingest/ingest.service.js';
import { CotSender } from './live/cot-sender.service.js';
import { LiveHub } from './live/live-hub.service.js';
import { TracksGateway } from './live/tracks.gateway.js';
import { ReplayService } from './replay/replay.service.js';
import { RigsController } from './rigs/rigs.controller.js';
import { RigsService } from './rigs/rigs.service.js';
import { StreamRuntimes } from './runtime/stream-runtimes.service.js';
import { StreamsController } from './streams/streams.controller.js';
import { SocketSessions } from './live/socket-sessions.service.js';
import { StreamResetService } from './streams/stream-reset.service.js';
import { StreamsService } from './streams/streams.service.js';
import { DEFAULT_TRACKER_SETTINGS, TRACKER_SETTINGS, type TrackerSettings } from './tracker.settings.js';

/** Camera rigs, streams, ingest and the live track stream. */
@Module({})
export class TrackerModule implements NestModule {
  static forRoot(infra: AppInfra, settings: Partial<TrackerSettings> = {}): DynamicModule {
    const resolved: TrackerSettings = { ...DEFAULT_TRACKER_SETTINGS, ...settings };
    return {
      module: TrackerModule,
      imports: [
        CoreModule.forRoot(infra),
        AuthModule.forRoot(resolved.rateLimit.enabled ? { rateLimit: resolved.rateLimit } : {}),
      ],
      controllers: [RigsController, StreamsController, IngestController],
      providers: [
        { provide: TRACKER_SETTINGS, useValue: resolved },
        { provide: APP_GUARD, useExisting: AuthGuard },
        RigsService,
        StreamsService,
        StreamResetService,
        SocketSessions,
        CotSender,
        StreamRuntimes,
        TrackHistoryWriter,
        TrackHistoryService,
        LiveHub,
        IngestService,
        ReplayService,
        TracksGateway,
      ],
    };
  }

  /** The web console (served by the gateway, same host) reads streams, rigs and history. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(consoleCors()).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
