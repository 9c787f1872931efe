import { tracksToGeoJson, type TrackFeatureCollection } from '@voxelfleet/voxel';
import type { Wgs84Position } from '../live/track-events.js';

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
  /** On Earth, when the stream's rig is georeferenced. */
  wgs84?: Wgs84Position;
}

export function toNdjson(points: TrackPointView[]): string {
  return points.map((p) => JSON.stringify(p)).join('\n') + (points.length > 0 ? '\n' : '');
}

export const CSV_HEADER =
  'track_id,frame_seq,t,state,x,y,z,vx,vy,vz,confidence,' +
  Array.from({ length: 9 }, (_, i) => `cov${Math.floor(i / 3)}${i % 3}`).join(',');

/** Appended to the header when the rig is georeferenced: WGS84 degrees and metres above the ellipsoid. */
export const CSV_WGS84_COLUMNS = 'lat,lon,hae';

/**
 * One header line, then one line per point; numbers as JavaScript prints them (round-trip
 * exact). A georeferenced stream's lines end with lat, lon, hae; the local columns keep
 * their places either way.
 */
export function toCsv(points: TrackPointView[], georeferenced = false): string {
  const lines = [georeferenced ? `${CSV_HEADER},${CSV_WGS84_COLUMNS}` : CSV_HEADER];
  for (const p of points) {
    const row = [
      p.trackId,
      p.frameSeq,
      p.t,
      p.state,
      ...p.position,
      ...p.velocity,
      p.confidence,
      ...p.covariance,
    ];
    if (georeferenced && p.wgs84) row.push(p.wgs84.lat, p.wgs84.lon, p.wgs84.hae);
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** GeoJSON (RFC 7946) of a georeferenced stream's history: one feature per track. */
export function toGeoJson(points: TrackPointView[]): TrackFeatureCollection {
  return tracksToGeoJson(
    points.flatMap((p) =>
      p.wgs84 ? [{ trackId: p.trackId, t: p.t, state: p.state, confidence: p.confidence, ...p.wgs84 }] : [],
    ),
  );
}
