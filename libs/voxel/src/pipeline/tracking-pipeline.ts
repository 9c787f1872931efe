import type { EvidenceRequest, EvidenceResult, VoxelGridDescriptor } from '@voxelfleet/contracts';
import { projectionMatrix, type CameraModel } from '../camera/camera-model.js';
import { detectObjects, type Detection, type DetectOptions } from '../detect/detect-objects.js';
import { suppressGhosts } from '../detect/suppress-ghosts.js';
import { countVisibleCameras, requiredSupportPerVoxel } from '../detect/voxel-visibility.js';
import { computeEvidenceWithOccupancy } from '../evidence/compute-evidence.js';
import type { MaskOccupancy } from '../evidence/mask-occupancy.js';
import {
  DEFAULT_ROBUST_BACKGROUND_OPTIONS,
  type RobustBackgroundOptions,
} from '../motion/robust-background-model.js';
import type { GreyFrame, MotionPixels } from '../motion/grey-frame.js';
import { MultiTargetTracker, type TrackerOptions, type TrackOutput } from '../track/multi-target-tracker.js';
import { paintHoldMask } from './hold-mask.js';
import { MotionStage } from './motion-stage.js';

export interface PipelineOptions {
  cameras: CameraModel[];
  grid: VoxelGridDescriptor;
  /** Cameras that must agree on a voxel (capped at the cameras present in a frame-set). */
  minCameras: number;
  /** Frame-sets ORed into one evidence window. */
  windowFrames: number;
  /** Upper bound on evidence voxels per window. */
  maxVoxels: number;
  background: Partial<RobustBackgroundOptions>;
  detect: Partial<Omit<DetectOptions, 'cameraCount'>>;
  /** Drop detections whose footprint other detections explain in every camera (0 disables). */
  ghostUniqueFraction: number;
  tracker: Partial<TrackerOptions>;
}

export interface FrameSetResult {
  tracks: TrackOutput[];
  detections: Detection[];
  evidenceVoxels: number;
  truncated: boolean;
  /** Changed pixels that went into the window (the rays a ray caster would cast). */
  motionPixels: number;
}

/**
 * The evidence step: the CPU kernel by default, the worker pool or the CUDA addon otherwise.
 * `occupancy` is a hint a CPU implementation may use (see computeEvidenceWithOccupancy).
 */
export type EvidenceFunction = (
  req: EvidenceRequest,
  occupancy: MaskOccupancy[],
) => EvidenceResult | Promise<EvidenceResult>;

/**
 * Frame-set in, tracks out: motion → per-window masks → per-camera evidence → detection →
 * tracking. Cameras absent from a frame-set (null) take no part in that window's evidence.
 */
export class TrackingPipeline {
  private readonly options: PipelineOptions;
  private readonly motion: MotionStage;
  private readonly tracker: MultiTargetTracker;
  private readonly projections: Float64Array[];
  private readonly holdMasks: Uint8Array[];
  /** Cameras required per voxel where some voxels are out of some cameras' view; null otherwise. */
  private readonly requiredSupport: Uint8Array | null;
  /** The fewest cameras any voxel requires: the evidence kernel's threshold. */
  private readonly evidenceMinCameras: number;
  private readonly holdSpeed: number;
  /** Objects covering a pixel for less than this never make it steady long enough to be absorbed. */
  private readonly holdCoverSeconds: number;

  constructor(options: Partial<PipelineOptions> & Pick<PipelineOptions, 'cameras' | 'grid'>) {
    const cameraCount = options.cameras.length;
    if (cameraCount < 1 || cameraCount > 32) throw new RangeError('a pipeline needs 1..32 cameras');
    this.options = {
      minCameras: defaultMinCameras(cameraCount),
      windowFrames: 1,
      maxVoxels: 2_000_000,
      background: {},
      detect: {},
      ghostUniqueFraction: 0.1,
      tracker: {},
      ...options,
    };
    if (this.options.minCameras > cameraCount)
      throw new RangeError('minCameras exceeds the number of cameras');
    const s = this.options.grid.voxelSize;
    const tracker: Partial<TrackerOptions> = {
      measurementVariance: (0.3 * s) ** 2,
      // Motion that does not move is a ghost. Displacement is measured between detections;
      // a detection's centroid errs by about 0.07 voxel per axis (measured on the generated
      // scenes), so a still object's two detections differ by less than half a voxel 99.9 %
      // of the time (sqrt(16.27 · 2) · 0.074 = 0.42 voxel).
      minBirthDisplacement: 0.5 * s,
      minBirthSpeed: 0.5,
      // A ghost spreads up to a target radius from where its track was born.
      restRadius: 4 * s,
      maxTentativeSeconds: 2,
      // Two tracks within two voxels, flying alike, are one object seen in two pieces.
      mergeDistance: 2 * s,
      mergeSpeed: 1,
      // Coasting is bounded in time, not frames, so 10 and 30 fps keep a track equally long.
      // A missed track coasts (published at its prediction) for 0.2 s: in that time a 3 g
      // turn takes a target 0.6 m off a straight-line prediction, about where a predicted
      // position stops being the target; kept longer, a coasting track flies off as a false
      // positive and, re-acquiring, takes another object's detections (id switches).
      maxCoastFrames: 1000,
      maxCoastSeconds: 0.2,
      ...this.options.tracker,
    };
    this.tracker = new MultiTargetTracker(tracker);
    // Only moving tracks hold the background: a still one may be a ghost holding itself.
    this.holdSpeed = tracker.minBirthSpeed || 0.5;
    this.holdCoverSeconds =
      0.5 * (this.options.background.absorbSeconds ?? DEFAULT_ROBUST_BACKGROUND_OPTIONS.absorbSeconds);
    this.motion = new MotionStage(this.options.cameras, this.options.windowFrames, this.options.background);
    this.projections = this.options.cameras.map((c) => projectionMatrix(c));
    this.holdMasks = this.options.cameras.map((c) => new Uint8Array(c.width * c.height));
    this.requiredSupport = requiredSupportPerVoxel(
      countVisibleCameras(this.options.cameras, this.options.grid),
      cameraCount,
      this.options.minCameras,
      MIN_VIEWS,
    );
    let fewest = this.options.minCameras;
    if (this.requiredSupport) for (const r of this.requiredSupport) fewest = Math.min(fewest, r);
    this.evidenceMinCameras = fewest;
  }

  /**
   * Motion of camera k from a grey frame taken at t seconds (exposed so callers can spread it
   * over workers). Where a published track is, steady foreground is an object flying along
   * the line of sight, so the background model does not absorb it there.
   */
  extractMotion(k: number, frame: GreyFrame, t?: number): MotionPixels {
    const objects = this.tracker.movingObjects(this.holdSpeed);
    if (objects.length === 0 || t === undefined) return this.motion.extract(k, frame, t);
    const hold = this.holdMasks[k]!;
    paintHoldMask(
      hold,
      this.options.cameras[k]!,
      objects,
      t,
      this.options.grid.voxelSize,
      this.holdCoverSeconds,
    );
    return this.motion.extract(k, frame, t, hold);
  }

  processFrames(t: number, frames: (GreyFrame | null)[]): FrameSetResult {
    return this.finish(t, this.requestFromFrames(frames, t));
  }

  processMotion(t: number, motions: (MotionPixels | null)[]): FrameSetResult {
    return this.finish(t, this.requestFromMotion(motions));
  }

  async processFramesWith(
    t: number,
    frames: (GreyFrame | null)[],
    evidence: EvidenceFunction,
  ): Promise<FrameSetResult> {
    const prepared = this.requestFromFrames(frames, t);
    return this.finishWith(t, prepared, await evidence(prepared.request, prepared.occupancy));
  }

  async processMotionWith(
    t: number,
    motions: (MotionPixels | null)[],
    evidence: EvidenceFunction,
  ): Promise<FrameSetResult> {
    const prepared = this.requestFromMotion(motions);
    return this.finishWith(t, prepared, await evidence(prepared.request, prepared.occupancy));
  }

  private requestFromFrames(frames: (GreyFrame | null)[], t: number): PreparedRequest {
    this.checkCount(frames.length);
    return this.requestFromMotion(frames.map((f, k) => (f ? this.extractMotion(k, f, t) : null)));
  }

  private requestFromMotion(motions: (MotionPixels | null)[]): PreparedRequest {
    this.checkCount(motions.length);
    const cameras: EvidenceRequest['cameras'] = [];
    const occupancyOf: (() => MaskOccupancy)[] = [];
    let motionPixels = 0;
    motions.forEach((m, k) => {
      const mask = this.motion.windowMask(k, m);
      if (!m) return;
      motionPixels += m.count;
      const c = this.options.cameras[k]!;
      const pixels = this.motion.windowPixels(k) ?? undefined;
      cameras.push({ projection: this.projections[k]!, width: c.width, height: c.height, mask, pixels });
      occupancyOf.push(this.motion.windowOccupancyLater(k));
    });
    // Every camera present: per-voxel requirements (the evidence threshold is their minimum).
    const allPresent = cameras.length === this.options.cameras.length;
    const minCameras = Math.max(
      1,
      Math.min(allPresent ? this.evidenceMinCameras : this.options.minCameras, cameras.length),
    );
    // Occupancy is a CPU-path hint: built only when an evidence function reads it.
    let occupancy: MaskOccupancy[] | undefined;
    return {
      request: { grid: this.options.grid, cameras, minCameras, maxVoxels: this.options.maxVoxels },
      get occupancy() {
        return (occupancy ??= occupancyOf.map((build) => build()));
      },
      motionPixels,
    };
  }

  private finish(t: number, prepared: PreparedRequest): FrameSetResult {
    return this.finishWith(t, prepared, computeEvidenceWithOccupancy(prepared.request, prepared.occupancy));
  }

  /**
   * The frame-set's evidence request (window masks, with pixel lists where the mask is the
   * sensor's) without running it: for callers that run evidence and detection themselves,
   * e.g. several frame-sets in flight. Masks are reused by the next call for the same camera.
   */
  prepareMotion(motions: (MotionPixels | null)[]): PreparedFrameSet {
    return this.requestFromMotion(motions);
  }

  /** Detection for a prepared frame-set: stateless, so it may run on another thread. */
  detect(prepared: PreparedFrameSet, evidence: EvidenceResult): Detection[] {
    return detectFrameSet(prepared.request, evidence, this.detectionOptions);
  }

  /** Feeds a frame-set's detections to the tracker; call in time order. */
  track(
    t: number,
    prepared: PreparedFrameSet,
    evidence: EvidenceResult,
    detections: Detection[],
  ): FrameSetResult {
    return {
      tracks: this.tracker.update(t, detections),
      detections,
      evidenceVoxels: evidence.indices.length,
      truncated: evidence.truncated,
      motionPixels: prepared.motionPixels,
    };
  }

  /** What detectFrameSet needs besides the evidence, for a detection thread. */
  get detectionOptions(): DetectionSettings {
    return {
      grid: this.options.grid,
      detect: this.options.detect,
      ghostUniqueFraction: this.options.ghostUniqueFraction,
      rigCameras: this.options.cameras.length,
      minCameras: this.options.minCameras,
      requiredSupport: this.requiredSupport,
    };
  }

  private finishWith(t: number, prepared: PreparedRequest, evidence: EvidenceResult): FrameSetResult {
    return this.track(t, prepared, evidence, this.detect(prepared, evidence));
  }

  private checkCount(n: number): void {
    if (n !== this.options.cameras.length) {
      throw new RangeError(`frame-set has ${n} entries, the rig ${this.options.cameras.length} cameras`);
    }
  }
}

/**
 * Fewest views a voxel is ever accepted on, however few cameras see it: two cones always meet
 * near each other, a third view is the first that can disagree.
 */
const MIN_VIEWS = 3;

/**
 * Small rigs need every camera to agree (with four views, three-view intersections of
 * different objects' cones are common ghosts); larger rigs tolerate a few cameras that do not
 * see an object (edge of view).
 */
export function defaultMinCameras(cameraCount: number): number {
  return cameraCount <= 4 ? cameraCount : Math.ceil(cameraCount * 0.85);
}

export interface PreparedFrameSet {
  request: EvidenceRequest;
  readonly occupancy: MaskOccupancy[];
  motionPixels: number;
}
type PreparedRequest = PreparedFrameSet;

/** The pipeline options detection reads. */
export interface DetectionSettings {
  grid: VoxelGridDescriptor;
  detect: Partial<Omit<DetectOptions, 'cameraCount'>>;
  ghostUniqueFraction: number;
  /** Cameras in the rig; with every one present, requiredSupport applies. */
  rigCameras?: number;
  /** Cameras that must agree on a voxel in view of every camera. */
  minCameras?: number;
  /** Cameras required per voxel (see requiredSupportPerVoxel), or null. */
  requiredSupport?: Uint8Array | null;
}

/** Detection and ghost suppression of one frame-set's evidence (no state: any thread). */
export function detectFrameSet(
  request: Pick<EvidenceRequest, 'cameras' | 'minCameras'>,
  evidence: EvidenceResult,
  settings: DetectionSettings,
): Detection[] {
  const present = request.cameras.length;
  if (present === 0) return [];
  const perVoxel =
    present === settings.rigCameras && settings.requiredSupport ? settings.requiredSupport : null;
  const found = detectObjects(evidence, settings.grid, {
    cameraCount: present,
    minVoxels: 2,
    // With per-voxel requirements the request's threshold is their minimum, not the rig's.
    minSupport: perVoxel ? (settings.minCameras ?? request.minCameras) : request.minCameras,
    requiredSupport: perVoxel,
    ...settings.detect,
  });
  return settings.ghostUniqueFraction > 0
    ? suppressGhosts(found, request.cameras, settings.grid, settings.ghostUniqueFraction)
    : found;
}
