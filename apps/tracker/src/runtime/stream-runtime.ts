import { hostname } from 'node:os';
import {
  TrackingPipeline,
  type CameraModel,
  type FrameSetResult,
  type GreyFrame,
  type MotionPixels,
  type TrackOutput,
  type VoxelGridDescriptor,
} from '@voxelfleet/voxel';
import type { StoredStreamParameters } from '@voxelfleet/persistence';
import type { TrackLostEvent, TrackMessage, TrackUpdateEvent } from '../live/track-events.js';
import { trackMessage } from '../live/track-message.js';

/** Where a runtime's results go (the live hub and the history writer). */
export interface RuntimeSink {
  tracks(tenantId: string, event: TrackUpdateEvent): void;
  lost(tenantId: string, event: TrackLostEvent): void;
  /** A frame-set's tracks are out: ms since it was accepted, its wait behind others included. */
  frameSetDone?(latencyMs: number): void;
  /** A frame-set was refused at the edge (bad or late input). */
  frameSetRejected?(): void;
}

export type FrameSetInput =
  | { kind: 'frames'; t: number; frames: (GreyFrame | null)[] }
  | { kind: 'motion'; t: number; motions: (MotionPixels | null)[] };

export interface FrameSetOutcome {
  frameSeq: number;
  t: number;
  tracks: number;
  detections: number;
  latencyMs: number;
}

export interface RuntimeStats {
  /** Frame-sets per second over the last few seconds of arrivals. */
  fps: number;
  /** Processing time per frame-set, exponentially averaged, ms. */
  latencyMs: number;
  /** Cameras that have delivered at least one frame (ids). */
  camerasSeen: string[];
  /** Confirmed or coasting tracks after the last frame-set. */
  tracks: number;
  framesProcessed: number;
  framesRejected: number;
  lastT: number | null;
  lastFrameAt: string | null;
  /** Where the work runs: this tracker process, evidence on its CPU. */
  node: string;
  evidence: 'in-process-cpu';
}

const FPS_WINDOW_MS = 5_000;

/**
 * One stream's tracking state in this process: the pipeline (background models, tracker),
 * frame-sets processed one at a time in arrival order, live statistics. Pure of Nest and I/O:
 * results leave through the sink.
 */
export class StreamRuntime {
  private readonly pipeline: TrackingPipeline;
  private chain: Promise<unknown> = Promise.resolve();
  private frameSeq = 0;
  /** Time of the last accepted frame-set (accepted = queued); frame-set times must increase. */
  private lastAcceptedT: number | null = null;
  private readonly published = new Set<number>();
  private readonly arrivals: number[] = [];
  private readonly seen = new Set<number>();
  /** False once the stream is paused or stopped: replays feeding it end. */
  accepting = true;
  private stats = {
    latencyMs: 0,
    tracks: 0,
    processed: 0,
    rejected: 0,
    lastT: null as number | null,
    lastAt: 0,
  };

  constructor(
    readonly streamId: string,
    readonly tenantId: string,
    readonly cameras: CameraModel[],
    grid: VoxelGridDescriptor,
    parameters: StoredStreamParameters,
    private readonly sink: RuntimeSink,
    private readonly clock: () => number = Date.now,
  ) {
    this.pipeline = new TrackingPipeline({
      cameras,
      grid,
      minCameras: parameters.minCameras,
      windowFrames: parameters.windowFrames,
      background: { k: parameters.motionThreshold },
      tracker: { confirmHits: parameters.confirmHits, confirmWindow: parameters.confirmWindow },
    });
  }

  /** The time the next frame-set must exceed, or null before the first. */
  get lastT(): number | null {
    return this.lastAcceptedT;
  }

  /**
   * Queues a frame-set behind the ones already accepted and resolves with its outcome. Input
   * is validated before it is queued (RangeError): a refused frame-set changes nothing.
   */
  submit(input: FrameSetInput): Promise<FrameSetOutcome> {
    this.validate(input);
    this.lastAcceptedT = input.t;
    const acceptedAt = this.clock();
    const run = this.chain.then(() => this.process(input, acceptedAt));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Counts a frame-set refused at the edge (bad input), for the live state. */
  noteRejected(): void {
    this.stats.rejected++;
    this.sink.frameSetRejected?.();
  }

  /** Resolves once every queued frame-set is processed. */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  snapshot(): RuntimeStats {
    const now = this.clock();
    while (this.arrivals.length > 0 && now - this.arrivals[0]! > FPS_WINDOW_MS) this.arrivals.shift();
    const span = this.arrivals.length > 1 ? (now - this.arrivals[0]!) / 1000 : 0;
    return {
      fps: span > 0 ? Number(((this.arrivals.length - 1) / span).toFixed(2)) : 0,
      latencyMs: Number(this.stats.latencyMs.toFixed(2)),
      camerasSeen: [...this.seen].sort((a, b) => a - b).map((k) => this.cameras[k]!.id),
      tracks: this.stats.tracks,
      framesProcessed: this.stats.processed,
      framesRejected: this.stats.rejected,
      lastT: this.stats.lastT,
      lastFrameAt: this.stats.lastAt === 0 ? null : new Date(this.stats.lastAt).toISOString(),
      node: `${hostname()}:${process.pid}`,
      evidence: 'in-process-cpu',
    };
  }

  private validate(input: FrameSetInput): void {
    if (!Number.isFinite(input.t) || input.t < 0) throw new RangeError('t: must be a finite number >= 0');
    if (this.lastAcceptedT !== null && !(input.t > this.lastAcceptedT)) {
      throw new RangeError(`t: ${input.t} is not after the previous frame-set (${this.lastAcceptedT})`);
    }
    const items = input.kind === 'frames' ? input.frames : input.motions;
    if (items.length !== this.cameras.length) {
      throw new RangeError(`frame-set has ${items.length} cameras, the rig ${this.cameras.length}`);
    }
    items.forEach((item, k) => {
      if (!item) return;
      const c = this.cameras[k]!;
      if (item.width !== c.width || item.height !== c.height) {
        throw new RangeError(
          `camera ${c.id}: image is ${item.width}x${item.height}, the camera ${c.width}x${c.height}`,
        );
      }
    });
  }

  private process(input: FrameSetInput, acceptedAt: number): FrameSetOutcome {
    const started = this.clock();
    const result: FrameSetResult =
      input.kind === 'frames'
        ? this.pipeline.processFrames(input.t, input.frames)
        : this.pipeline.processMotion(input.t, input.motions);
    const frameSeq = ++this.frameSeq;
    const items = input.kind === 'frames' ? input.frames : input.motions;
    items.forEach((item, k) => item && this.seen.add(k));
    const done = this.clock();
    this.arrivals.push(done);
    if (this.arrivals.length > 1000) this.arrivals.shift();
    const latency = done - started;
    this.stats.latencyMs = this.stats.processed === 0 ? latency : 0.8 * this.stats.latencyMs + 0.2 * latency;
    this.stats.processed++;
    this.stats.lastT = input.t;
    this.stats.lastAt = done;
    const tracks = this.publish(frameSeq, input.t, result.tracks, done);
    this.stats.tracks = tracks;
    this.sink.frameSetDone?.(done - acceptedAt);
    return { frameSeq, t: input.t, tracks, detections: result.detections.length, latencyMs: latency };
  }

  /** Confirmed and coasting tracks go out; a published track that is deleted is reported lost. */
  private publish(frameSeq: number, t: number, outputs: TrackOutput[], now: number): number {
    const messages: TrackMessage[] = [];
    for (const o of outputs) {
      if (o.state === 'confirmed' || o.state === 'coasting') {
        this.published.add(o.trackId);
        messages.push(trackMessage(o));
      } else if (o.state === 'deleted' && this.published.delete(o.trackId)) {
        this.sink.lost(this.tenantId, { streamId: this.streamId, trackId: o.trackId, t });
      }
    }
    this.sink.tracks(this.tenantId, {
      streamId: this.streamId,
      frameSeq,
      t,
      detectedAt: now,
      tracks: messages,
    });
    return messages.length;
  }
}
