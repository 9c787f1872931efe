/** A persisted track point as history returns it. */
export interface TrackPointView {
  trackId: number;
  frameSeq: number;
  t: number;
  state: string;
  position: [number, number, number];
  velocity: [number, number, number];
  covariance: number[];
  confidence: number;
}

export function toNdjson(points: TrackPointView[]): string {
  return points.map((p) => JSON.stringify(p)).join('\n') + (points.length > 0 ? '\n' : '');
}

export const CSV_HEADER =
  'track_id,frame_seq,t,state,x,y,z,vx,vy,vz,confidence,' +
  Array.from({ length: 9 }, (_, i) => `cov${Math.floor(i / 3)}${i % 3}`).join(',');

/** One header line, then one line per point; numbers as JavaScript prints them (round-trip exact). */
export function toCsv(points: TrackPointView[]): string {
  const lines = [CSV_HEADER];
  for (const p of points) {
    lines.push(
      [p.trackId, p.frameSeq, p.t, p.state, ...p.position, ...p.velocity, p.confidence, ...p.covariance].join(
        ',',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
