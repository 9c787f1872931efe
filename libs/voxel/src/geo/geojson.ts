/** One WGS84 track point as exports carry it. */
export interface GeoTrackPoint {
  trackId: number;
  /** Stream-clock seconds. */
  t: number;
  state: string;
  lat: number;
  lon: number;
  hae: number;
  confidence: number;
}

type Position = [number, number, number];

export interface TrackFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'LineString'; coordinates: Position[] } | { type: 'Point'; coordinates: Position };
  properties: {
    trackId: number;
    /** Stream-clock seconds of each vertex, in order. */
    times: number[];
    start: number;
    end: number;
    points: number;
    lastState: string;
    maxConfidence: number;
  };
}

export interface TrackFeatureCollection {
  type: 'FeatureCollection';
  features: TrackFeature[];
}

/**
 * A GeoJSON FeatureCollection (RFC 7946): one feature per track, its path as a LineString
 * (a Point when it has one position), vertices [longitude, latitude, height above the WGS84
 * ellipsoid] in time order. RFC 7946 coordinates are WGS84 by definition, so no crs member.
 */
export function tracksToGeoJson(points: readonly GeoTrackPoint[]): TrackFeatureCollection {
  const byTrack = new Map<number, GeoTrackPoint[]>();
  for (const p of points) {
    const list = byTrack.get(p.trackId);
    if (list) list.push(p);
    else byTrack.set(p.trackId, [p]);
  }
  const features: TrackFeature[] = [];
  for (const [trackId, list] of [...byTrack].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.t - b.t);
    const coordinates = list.map((p): Position => [p.lon, p.lat, p.hae]);
    const last = list[list.length - 1]!;
    features.push({
      type: 'Feature',
      id: trackId,
      geometry:
        coordinates.length === 1
          ? { type: 'Point', coordinates: coordinates[0]! }
          : { type: 'LineString', coordinates },
      properties: {
        trackId,
        times: list.map((p) => p.t),
        start: list[0]!.t,
        end: last.t,
        points: list.length,
        lastState: last.state,
        maxConfidence: list.reduce((m, p) => Math.max(m, p.confidence), -Infinity),
      },
    });
  }
  return { type: 'FeatureCollection', features };
}
