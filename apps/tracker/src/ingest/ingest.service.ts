import { Inject, Injectable } from '@nestjs/common';
import type { RequestActor } from '@voxelfleet/auth';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import type { GreyFrame } from '@voxelfleet/voxel';
import type { DataSource } from 'typeorm';
import type { FrameSetInput, FrameSetOutcome, StreamRuntime } from '../runtime/stream-runtime.js';
import { StreamRuntimes } from '../runtime/stream-runtimes.service.js';
import type { StreamRecord } from '../streams/streams.repository.js';
import { StreamsService } from '../streams/streams.service.js';
import { decodeCameraImage, FrameInputError, motionFromJson } from './frame-decoding.js';
import { bytesOf, type UploadedImage } from './uploaded-file.js';

/**
 * Frame-sets into a running stream: one image per camera (multipart) or pre-extracted motion
 * pixels (JSON). Input is decoded and checked completely before it reaches the pipeline, so
 * a refused frame-set leaves the stream exactly as it was.
 */
@Injectable()
export class IngestService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(StreamsService) private readonly streams: StreamsService,
    @Inject(StreamRuntimes) private readonly runtimes: StreamRuntimes,
  ) {}

  /** The running stream's runtime, or a 409 saying why frames are not taken. */
  async runningRuntime(
    actor: RequestActor,
    id: string,
  ): Promise<{ stream: StreamRecord; runtime: StreamRuntime }> {
    const stream = await this.streams.load(this.dataSource.manager, actor, id, 'ingest:streams');
    if (stream.state !== 'running') {
      throw new DomainError(
        409,
        'stream_not_running',
        `the stream is ${stream.state}; start it to send frames`,
      );
    }
    return { stream, runtime: await this.runtimes.ensure(stream) };
  }

  async frames(
    actor: RequestActor,
    id: string,
    files: UploadedImage[],
    body: unknown,
  ): Promise<FrameSetOutcome> {
    const { runtime } = await this.runningRuntime(actor, id);
    return this.submit(runtime, () => ({
      kind: 'frames',
      t: timeOf(body),
      frames: framesByCamera(runtime, files),
    }));
  }

  async motion(actor: RequestActor, id: string, body: unknown): Promise<FrameSetOutcome> {
    const { runtime } = await this.runningRuntime(actor, id);
    return this.submit(runtime, () => {
      const cameras = (body as { cameras?: unknown } | null)?.cameras;
      if (!Array.isArray(cameras))
        throw new FrameInputError('cameras: must be an array, one entry per rig camera');
      if (cameras.length !== runtime.cameras.length) {
        throw new FrameInputError(
          `cameras: ${cameras.length} entries, the rig has ${runtime.cameras.length} cameras`,
        );
      }
      return {
        kind: 'motion',
        t: timeOf(body),
        motions: cameras.map((m: unknown, k) => motionFromJson(m, runtime.cameras[k]!, k)),
      };
    });
  }

  private async submit(runtime: StreamRuntime, build: () => FrameSetInput): Promise<FrameSetOutcome> {
    let input: FrameSetInput;
    let queued: Promise<FrameSetOutcome>;
    try {
      input = build();
      queued = runtime.submit(input);
    } catch (error) {
      if (error instanceof FrameInputError || error instanceof RangeError) {
        runtime.noteRejected();
        throw new DomainError(400, 'bad_frame', error.message);
      }
      throw error;
    }
    return queued;
  }
}

function timeOf(body: unknown): number {
  const raw = (body as { t?: unknown } | null)?.t;
  const t = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
    throw new FrameInputError('t: the frame-set time in seconds (a finite number >= 0) is required');
  }
  return t;
}

/**
 * Matches uploaded parts to cameras: a part named after a camera id, or `cam<k>` for the
 * k-th camera of the rig. Every camera needs exactly one image.
 */
export function framesByCamera(runtime: StreamRuntime, files: UploadedImage[]): GreyFrame[] {
  const cameras = runtime.cameras;
  if (files.length !== cameras.length) {
    throw new FrameInputError(`frame-set has ${files.length} images, the rig ${cameras.length} cameras`);
  }
  const byIndex = new Map<number, UploadedImage>();
  for (const file of files) {
    let k = cameras.findIndex((c) => c.id === file.fieldname);
    const match = /^cam(\d+)$/.exec(file.fieldname);
    if (k < 0 && match) k = Number(match[1]);
    if (!(k >= 0 && k < cameras.length))
      throw new FrameInputError(`${file.fieldname}: no such camera in the rig`);
    if (byIndex.has(k))
      throw new FrameInputError(`${file.fieldname}: camera ${cameras[k]!.id} has two images`);
    byIndex.set(k, file);
  }
  return cameras.map((camera, k) => decodeCameraImage(bytesOf(byIndex.get(k)!), camera));
}
