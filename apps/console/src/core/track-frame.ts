/** One track at one instant, as the console draws it. */
export interface TrackSample {
  trackId: number;
  position: [number, number, number];
  velocity: [number, number, number];
  confidence: number;
  state: string;
}

/** Every track of one frame-set, at stream time `t` (seconds). */
export interface TrackFrame {
  t: number;
  tracks: TrackSample[];
}

/** A point of the tracker's history endpoint (GET /v1/streams/:id/tracks). */
export interface HistoryPoint {
  trackId: number;
  t: number;
  state: string;
  position: [number, number, number];
  velocity: [number, number, number];
  confidence: number;
}

/** History points (ordered by t, then track) grouped into frames. */
export function framesFromHistory(points: readonly HistoryPoint[]): TrackFrame[] {
  const frames: TrackFrame[] = [];
  for (const point of points) {
    let frame = frames.at(-1);
    if (frame === undefined || frame.t !== point.t) {
      frame = { t: point.t, tracks: [] };
      frames.push(frame);
    }
    frame.tracks.push({
      trackId: point.trackId,
      position: point.position,
      velocity: point.velocity,
      confidence: point.confidence,
      state: point.state,
    });
  }
  return frames;
}
