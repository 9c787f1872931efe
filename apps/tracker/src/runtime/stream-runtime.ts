import type { StoredStreamParameters } from '@voxelfleet/persistence';
import {
  TrackingPipeline,
  type CameraModel,
  type GreyFrame,
  type MotionPixels,
  type PreparedFrameSet,
  type TrackOutput,
  type VoxelGridDescriptor,
} from '@voxelfleet/voxel';
import type {
  StreamStatusEvent,
  TrackLostEvent,
  TrackMessage,
  TrackUpdateEvent,
} from '../live/track-events.js';
import { trackMessage } from '../live/track-message.js';
import {
  EvidenceLostError,
  InProcessEvidence,
  type EvidenceBackend,
  type EvidenceOutcome,
} from './evidence-backend.js';

/** Where a runtime's results go (the live hub and the history writer). */
export interface RuntimeSink {
  tracks(tenantId: string, event: TrackUpdateEvent): void;
  lost(tenantId: string, event: TrackLostEvent): void;
  /** A frame-set's tracks are out: ms since it was accepted, its wait behind others included. */
  frameSetDone?(latencyMs: number): void;
  /** A frame-set was refused at the edge (bad or late input). */
  frameSetRejected?(): void;
  /** A gap: a frame-set whose evidence never came back. */
  status?(event: StreamStatusEvent): void;
}

export type FrameSetInput =
  | { kind: 'frames'; t: number; frames: (GreyFrame | null)[] }
  | { kind: 'motion'; t: number; motions: (MotionPixels | null)[] };

export interface FrameSetOutcome {
  frameSeq: number;
  t: number;
  tracks: number;
  detections: number;
  /** Accepted to tracks published, ms (the fleet round trip included when evidence runs there). */
  latencyMs: number;
  /** Set when the frame-set's evidence was lost (its node died, the budget ran out): a gap. */
  gap?: string;
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
  /** Frame-sets accepted whose evidence never came back (gaps). */
  framesLost: number;
  /** The latest gap's reason and time, null when there has been none. */
  lastGap: { reason: string; at: string } | null;
  /** Frame-sets accepted and not yet published. */
  inFlight: number;
  lastT: number | null;
  lastFrameAt: string | null;
  /** The node that computed the latest frame-set's evidence (a fleet node id, or this process). */
  node: string | null;
  /** Where evidence runs: on the fleet as voxel.evidence jobs, or on this process's CPU. */
  evidence: EvidenceBackend['kind'];
}

const FPS_WINDOW_MS = 5_000;

/**
 * Frame-set times are seconds (from the stream's start, or Unix time): past this one a time is
 * not a time (1e308 was accepted once, and every later frame-set was refused as not after it).
 */
export const MAX_FRAME_T = 1e10;
/**
 * How far a frame-set may jump past the previous one. A stream that resumes after a longer
 * silence, or a feeder whose clock moved, starts its time over with POST /v1/streams/:id/reset.
 */
export const MAX_FRAME_STEP_S = 86_400;
/** Frame-sets whose evidence may be outstanding at once before `room()` makes feeders wait. */
const DEFAULT_MAX_IN_FLIGHT = 8;

/**
 * One stream's tracking state in this process: the pipeline (background models, tracker),
 * frame-sets prepared in arrival order, their evidence computed by a backend (this process,
 * or the fleet with several frame-sets in flight), then detected and tracked strictly in
 * order; live statistics. Pure of Nest: results leave through the sink.
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
    lost: 0,
    lastGap: null as { reason: string; at: string } | null,
    lastT: null as number | null,
    lastAt: 0,
    node: null as string | null,
  };
  private inFlight = 0;
  private roomWaiters: (() => void)[] = [];

  constructor(
    readonly streamId: string,
    readonly tenantId: string,
    readonly cameras: CameraModel[],
    grid: VoxelGridDescriptor,
    parameters: StoredStreamParameters,
    private readonly sink: RuntimeSink,
    private readonly clock: () => number = Date.now,
    private readonly evidence: EvidenceBackend = new InProcessEvidence(),
    private readonly maxInFlight = DEFAULT_MAX_IN_FLIGHT,
  ) {
    this.pipeline = new TrackingPipeline({
      cameras,
      grid,
      minCameras: parameters.minCameras,
      windowFrames: parameters.windowFrames,
      background: { k: parameters.motionThreshold, fps: parameters.fps },
      tracker: { confirmHits: parameters.confirmHits, confirmWindow: parameters.confirmWindow },
    });
  }

  /** The time the next frame-set must exceed, or null before the first. */
  get lastT(): number | null {
    return this.lastAcceptedT;
  }

  /**
   * Prepares a frame-set (motion, window masks) at once, starts its evidence, and resolves once
   * it is tracked and published, after every frame-set accepted before it. Input is validated
   * before anything changes (RangeError): a refused frame-set leaves the stream as it was.
   */
  submit(input: FrameSetInput): Promise<FrameSetOutcome> {
    this.validate(input);
    const acceptedAt = this.clock();
    const prepared = this.prepare(input);
    this.lastAcceptedT = input.t;
    const items = input.kind === 'frames' ? input.frames : input.motions;
    items.forEach((item, k) => item && this.seen.add(k));
    const evidence = this.evidence.start({ tenantId: this.tenantId, streamId: this.streamId }, prepared);
    // Settled in order by finish(); this only keeps an early rejection from going unhandled.
    evidence.catch(() => undefined);
    this.inFlight++;
    const run = this.chain
      .then(() => this.finish(input.t, prepared, evidence, acceptedAt))
      .finally(() => this.leave());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves when fewer than maxInFlight frame-sets are outstanding: feeders wait on it. */
  room(): Promise<void> {
    if (this.inFlight < this.maxInFlight) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
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
      framesLost: this.stats.lost,
      lastGap: this.stats.lastGap,
      inFlight: this.inFlight,
      lastT: this.stats.lastT,
      lastFrameAt: this.stats.lastAt === 0 ? null : new Date(this.stats.lastAt).toISOString(),
      node: this.stats.node,
      evidence: this.evidence.kind,
    };
  }

  private validate(input: FrameSetInput): void {
    if (!Number.isFinite(input.t) || input.t < 0 || input.t > MAX_FRAME_T) {
      throw new RangeError(`t: must be a number of seconds from 0 to ${MAX_FRAME_T}`);
    }
    if (this.lastAcceptedT !== null && !(input.t > this.lastAcceptedT)) {
      throw new RangeError(`t: ${input.t} is not after the previous frame-set (${this.lastAcceptedT})`);
    }
    if (this.lastAcceptedT !== null && input.t - this.lastAcceptedT > MAX_FRAME_STEP_S) {
      throw new RangeError(
        `t: ${input.t} is more than ${MAX_FRAME_STEP_S} s after the previous frame-set (${this.lastAcceptedT}); ` +
          'reset the stream (POST /v1/streams/:id/reset) to start its time over',
      );
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

  private prepare(input: FrameSetInput): PreparedFrameSet {
    const motions =
      input.kind === 'motion'
        ? input.motions
        : input.frames.map((frame, k) => (frame ? this.pipeline.extractMotion(k, frame, input.t) : null));
    return this.pipeline.prepareMotion(motions);
  }

  private async finish(
    t: number,
    prepared: PreparedFrameSet,
    evidence: Promise<EvidenceOutcome>,
    acceptedAt: number,
  ): Promise<FrameSetOutcome> {
    let outcome: EvidenceOutcome;
    try {
      outcome = await evidence;
    } catch (error) {
      if (error instanceof EvidenceLostError) return this.gap(t, error.message, acceptedAt);
      throw error;
    }
    const detections = this.pipeline.detect(prepared, outcome.result);
    const result = this.pipeline.track(t, prepared, outcome.result, detections);
    const frameSeq = ++this.frameSeq;
    const done = this.clock();
    this.arrivals.push(done);
    if (this.arrivals.length > 1000) this.arrivals.shift();
    const latency = done - acceptedAt;
    this.stats.latencyMs = this.stats.processed === 0 ? latency : 0.8 * this.stats.latencyMs + 0.2 * latency;
    this.stats.processed++;
    this.stats.lastT = t;
    this.stats.lastAt = done;
    this.stats.node = outcome.node;
    const tracks = this.publish(frameSeq, t, result.tracks, done);
    this.stats.tracks = tracks;
    this.sink.frameSetDone?.(latency);
    return { frameSeq, t, tracks, detections: result.detections.length, latencyMs: latency };
  }

  /**
   * A frame-set without evidence: the tracker is not fed (its tracks coast through the next
   * frame-set), subscribers hear of the gap, the live state counts it.
   */
  private gap(t: number, reason: string, acceptedAt: number): FrameSetOutcome {
    const now = this.clock();
    const at = new Date(now).toISOString();
    this.stats.lost++;
    this.stats.lastGap = { reason, at };
    this.sink.status?.({ streamId: this.streamId, state: 'running', gap: { frames: 1, reason }, at });
    return {
      frameSeq: this.frameSeq,
      t,
      tracks: this.stats.tracks,
      detections: 0,
      latencyMs: now - acceptedAt,
      gap: reason,
    };
  }

  private leave(): void {
    this.inFlight--;
    while (this.inFlight < this.maxInFlight && this.roomWaiters.length > 0) this.roomWaiters.shift()!();
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
