import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { RequestActor } from '@voxelfleet/auth';
import { APP_LOGGER, DomainError } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import { FrameInputError, decodeCameraImage } from '../ingest/frame-decoding.js';
import { IngestService } from '../ingest/ingest.service.js';
import { bytesOf, type UploadedImage } from '../ingest/uploaded-file.js';
import { LiveHub } from '../live/live-hub.service.js';
import type { ReplayProgress } from '../live/track-events.js';
import type { StreamRuntime } from '../runtime/stream-runtime.js';
import { StreamsService } from '../streams/streams.service.js';
import { replayDataset, type ReplayFrameSet } from './replay-dataset.js';
import { replayOptions } from './replay.dto.js';

export interface ReplayStarted {
  replayId: string;
  framesTotal: number;
  speed: 'real' | 'max';
  fps: number;
  /** The stream time of frame 0: t = timeOffset + frame_index / fps. */
  timeOffset: number;
}

/** Progress is published at most this often (and always for the last frame-set). */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Plays a recorded dataset into a running stream, at the recording's pace or at full speed.
 * One replay per stream at a time; it ends early when the stream stops or pauses.
 */
@Injectable()
export class ReplayService implements OnModuleDestroy {
  private readonly active = new Map<string, { cancelled: boolean; done: Promise<void> }>();

  constructor(
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(StreamsService) private readonly streams: StreamsService,
    @Inject(LiveHub) private readonly hub: LiveHub,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async start(
    actor: RequestActor,
    id: string,
    files: UploadedImage[],
    body: unknown,
  ): Promise<ReplayStarted> {
    const { stream, runtime } = await this.ingest.runningRuntime(actor, id);
    if (this.active.has(stream.id))
      throw new DomainError(409, 'replay_running', 'a replay is already running on this stream');
    let frames: ReplayFrameSet[];
    let options;
    try {
      options = replayOptions(body);
      const metadata = files.find((f) => f.fieldname === 'metadata');
      if (!metadata) throw new FrameInputError('metadata: upload metadata.json as the part named "metadata"');
      frames = replayDataset(
        bytesOf(metadata),
        files.filter((f) => f !== metadata),
        runtime.cameras.length,
      );
    } catch (error) {
      if (error instanceof FrameInputError) throw new DomainError(400, 'bad_replay', error.message);
      throw error;
    }
    const fps = options.fps ?? stream.parameters.fps;
    const first = frames[0]!.frameIndex;
    const last = runtime.lastT;
    const timeOffset = last === null ? 0 : last + 1 / fps - first / fps;
    const replayId = randomUUID();
    const progress: ReplayProgress = {
      replayId,
      state: 'running',
      speed: options.speed,
      framesDone: 0,
      framesTotal: frames.length,
      framesSkipped: 0,
      percent: 0,
      etaSeconds: null,
    };
    this.publish(stream.id, progress);
    const control = { cancelled: false, done: Promise.resolve() };
    control.done = this.play(
      stream.id,
      runtime,
      frames,
      { fps, timeOffset, speed: options.speed },
      progress,
      control,
    )
      .catch((error: unknown) => {
        this.logger.error({ err: error, streamId: stream.id }, 'replay failed');
        this.publish(stream.id, { ...progress, state: 'failed', error: (error as Error).message });
      })
      .finally(() => this.active.delete(stream.id));
    this.active.set(stream.id, control);
    return { replayId, framesTotal: frames.length, speed: options.speed, fps, timeOffset };
  }

  async onModuleDestroy(): Promise<void> {
    for (const control of this.active.values()) control.cancelled = true;
    await Promise.all([...this.active.values()].map((c) => c.done));
  }

  private async play(
    streamId: string,
    runtime: StreamRuntime,
    frames: ReplayFrameSet[],
    timing: { fps: number; timeOffset: number; speed: 'real' | 'max' },
    progress: ReplayProgress,
    control: { cancelled: boolean },
  ): Promise<void> {
    const started = Date.now();
    const first = frames[0]!.frameIndex;
    let lastPublished = 0;
    for (const [i, frame] of frames.entries()) {
      if (control.cancelled || this.streams.replays.get(streamId)?.replayId !== progress.replayId) break;
      // The stream paused or stopped: its runtime is gone or no longer the one we feed.
      if (!this.isCurrent(streamId, runtime)) {
        control.cancelled = true;
        break;
      }
      if (timing.speed === 'real') {
        const due = started + ((frame.frameIndex - first) / timing.fps) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      } else {
        // Let sockets and HTTP breathe between frame-sets.
        await new Promise((r) => setImmediate(r));
      }
      try {
        const images = frame.images.map((file, k) => decodeCameraImage(bytesOf(file), runtime.cameras[k]!));
        // Accepted, not finished: with evidence on the fleet several frame-sets are in flight
        // (a lost one is a gap the runtime reports); room() holds the replay back when too many are.
        runtime
          .submit({ kind: 'frames', t: timing.timeOffset + frame.frameIndex / timing.fps, frames: images })
          .catch((error: unknown) =>
            this.logger.error({ err: error, streamId, frame: frame.frameIndex }, 'replay frame-set failed'),
          );
        await runtime.room();
      } catch (error) {
        if (!(error instanceof FrameInputError || error instanceof RangeError)) throw error;
        // One bad recording frame is a gap in the stream, not the end of the replay.
        progress.framesSkipped++;
        runtime.noteRejected();
        this.hub.status({
          streamId,
          state: 'running',
          gap: { frames: 1, reason: `replay frame ${frame.frameIndex}: ${error.message}` },
          at: new Date().toISOString(),
        });
      }
      progress.framesDone = i + 1;
      progress.percent = Number(((100 * progress.framesDone) / progress.framesTotal).toFixed(1));
      const elapsed = (Date.now() - started) / 1000;
      progress.etaSeconds = Number(
        ((elapsed / progress.framesDone) * (progress.framesTotal - progress.framesDone)).toFixed(2),
      );
      if (
        Date.now() - lastPublished >= PROGRESS_INTERVAL_MS ||
        progress.framesDone === progress.framesTotal
      ) {
        lastPublished = Date.now();
        this.publish(streamId, progress);
      }
    }
    await runtime.idle();
    this.publish(streamId, { ...progress, state: control.cancelled ? 'cancelled' : 'done', etaSeconds: 0 });
  }

  private isCurrent(streamId: string, runtime: StreamRuntime): boolean {
    return runtime.accepting && this.streams.runtimeOf(streamId) === runtime;
  }

  private publish(streamId: string, progress: ReplayProgress): void {
    const snapshot = { ...progress };
    this.streams.replays.set(streamId, snapshot);
    this.hub.progress({ streamId, ...snapshot });
  }
}
