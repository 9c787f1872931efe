import type { TrackFrame } from './track-frame.js';

/**
 * Frames of one stream ordered by time, bounded to `capacity` (the oldest go first). Live
 * frames arrive in order and are appended; history loaded later is merged in place.
 */
export class FrameStore {
  private frames: TrackFrame[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.frames.length;
  }

  get first(): TrackFrame | undefined {
    return this.frames[0];
  }

  get last(): TrackFrame | undefined {
    return this.frames.at(-1);
  }

  /** Adds a frame; one with the same t replaces the stored one. */
  insert(frame: TrackFrame): void {
    const last = this.frames.at(-1);
    if (last === undefined || frame.t > last.t) {
      this.frames.push(frame);
    } else {
      const at = this.lowerBound(frame.t);
      if (this.frames[at]?.t === frame.t) this.frames[at] = frame;
      else this.frames.splice(at, 0, frame);
    }
    // Trimming in chunks keeps the amortised cost of a live append O(1).
    if (this.frames.length > this.capacity * 1.25) this.frames = this.frames.slice(-this.capacity);
  }

  /** The latest frame at or before t; undefined before the first. */
  frameAt(t: number): TrackFrame | undefined {
    const at = this.lowerBound(t);
    if (this.frames[at]?.t === t) return this.frames[at];
    return at === 0 ? undefined : this.frames[at - 1];
  }

  /** Frames with from < t <= to, oldest first, at most `max` (the latest ones). */
  between(from: number, to: number, max = Infinity): TrackFrame[] {
    const end = this.upperBound(to);
    const start = Math.max(this.upperBound(from), end - max);
    return this.frames.slice(start, end);
  }

  clear(): void {
    this.frames = [];
  }

  /** First index whose t >= value. */
  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.frames[mid]!.t < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose t > value. */
  private upperBound(value: number): number {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.frames[mid]!.t <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
