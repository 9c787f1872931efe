import { describe, expect, it } from '@jest/globals';
import { tracksToGeoJson, type GeoTrackPoint } from './geojson.js';

const point = (trackId: number, t: number, lat: number, lon: number): GeoTrackPoint => ({
  trackId,
  t,
  state: 'confirmed',
  lat,
  lon,
  hae: 400 + t,
  confidence: 0.5 + t / 10,
});

describe('tracksToGeoJson', () => {
  it('gives one feature per track, vertices [lon, lat, hae] in time order', () => {
    const collection = tracksToGeoJson([
      point(2, 0.1, 47.1, 8.1),
      point(1, 0.2, 47.0, 8.0),
      point(1, 0.1, 46.9, 7.9),
      point(1, 0.3, 47.2, 8.2),
    ]);
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((f) => f.id)).toEqual([1, 2]);
    const [one, two] = collection.features;
    expect(one!.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [7.9, 46.9, 400.1],
        [8.0, 47.0, 400.2],
        [8.2, 47.2, 400.3],
      ],
    });
    expect(one!.properties).toMatchObject({
      trackId: 1,
      times: [0.1, 0.2, 0.3],
      start: 0.1,
      end: 0.3,
      points: 3,
    });
    expect(one!.properties.maxConfidence).toBeCloseTo(0.53, 12);
    // A single position is a Point, not a one-vertex LineString (RFC 7946 wants two or more).
    expect(two!.geometry).toEqual({ type: 'Point', coordinates: [8.1, 47.1, 400.1] });
    expect(tracksToGeoJson([])).toEqual({ type: 'FeatureCollection', features: [] });
  });
});
