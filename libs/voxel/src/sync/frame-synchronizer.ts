/** A frame from one camera of a rig, with its capture time in milliseconds. */
export interface TimedFrame<T> {
  cameraId: string;
  timestamp: number;
  payload: T;
}

/** Frames of several cameras taken at (nearly) the same time. */
export interface FrameSet<T> {
  /** Mean capture time of the frames in the set. */
  timestamp: number;
  frames: TimedFrame<T>[];
  /** Cameras of the rig with no frame in this set. */
  missing: string[];
}

export interface SynchronizerOptions {
  cameraIds: string[];
  /** Frames whose timestamps are within this many ms of a set's first frame join it. */
  toleranceMs: number;
  /** A set closed with fewer cameras than this is dropped. */
  minCameras: number;
}

export interface SynchronizerStats {
  emitted: number;
  droppedSets: number;
  lateFrames: number;
  duplicateFrames: number;
}

interface PendingSet<T> {
  reference: number;
  frames: Map<string, TimedFrame<T>>;
}

/**
 * Groups frames of a rig into frame-sets by timestamp. A set closes when every camera has
 * delivered, or once a frame arrives more than two tolerances after the set's first frame (no
 * camera can still belong to it). Sets are emitted in time order; no clock is read.
 */
export class FrameSynchronizer<T> {
  private readonly options: SynchronizerOptions;
  private readonly known: Set<string>;
  private pending: PendingSet<T>[] = [];
  private watermark = -Infinity;
  private lastEmitted = -Infinity;
  readonly stats: SynchronizerStats = { emitted: 0, droppedSets: 0, lateFrames: 0, duplicateFrames: 0 };

  constructor(options: SynchronizerOptions) {
    if (options.cameraIds.length === 0) throw new RangeError('a rig needs at least one camera');
    if (!(options.toleranceMs >= 0)) throw new RangeError('toleranceMs must be >= 0');
    if (options.minCameras < 1 || options.minCameras > options.cameraIds.length) {
      throw new RangeError('minCameras must be between 1 and the number of cameras');
    }
    this.options = options;
    this.known = new Set(options.cameraIds);
  }

  /** Adds a frame; returns the sets that closed because of it, oldest first. */
  push(frame: TimedFrame<T>): FrameSet<T>[] {
    if (!this.known.has(frame.cameraId)) throw new RangeError(`unknown camera ${frame.cameraId}`);
    if (!Number.isFinite(frame.timestamp)) throw new RangeError('frame timestamp must be finite');
    const tol = this.options.toleranceMs;
    if (frame.timestamp < this.lastEmitted + tol) {
      this.stats.lateFrames++;
      return [];
    }
    const target = this.pending.find(
      (s) => Math.abs(frame.timestamp - s.reference) <= tol && !s.frames.has(frame.cameraId),
    );
    if (target) target.frames.set(frame.cameraId, frame);
    else if (this.pending.some((s) => Math.abs(frame.timestamp - s.reference) <= tol))
      this.stats.duplicateFrames++;
    else {
      this.pending.push({ reference: frame.timestamp, frames: new Map([[frame.cameraId, frame]]) });
      this.pending.sort((a, b) => a.reference - b.reference);
    }
    this.watermark = Math.max(this.watermark, frame.timestamp);
    return this.drain(false);
  }

  /** Closes every pending set (end of stream). */
  flush(): FrameSet<T>[] {
    return this.drain(true);
  }

  private drain(all: boolean): FrameSet<T>[] {
    const out: FrameSet<T>[] = [];
    const cameras = this.options.cameraIds.length;
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      const closed =
        all || head.frames.size === cameras || this.watermark > head.reference + 2 * this.options.toleranceMs;
      if (!closed) break;
      this.pending.shift();
      this.lastEmitted = head.reference;
      if (head.frames.size < this.options.minCameras) {
        this.stats.droppedSets++;
        continue;
      }
      const frames = this.options.cameraIds.flatMap((id) => {
        const f = head.frames.get(id);
        return f ? [f] : [];
      });
      const missing = this.options.cameraIds.filter((id) => !head.frames.has(id));
      const timestamp = frames.reduce((s, f) => s + f.timestamp, 0) / frames.length;
      this.stats.emitted++;
      out.push({ timestamp, frames, missing });
    }
    return out;
  }
}
