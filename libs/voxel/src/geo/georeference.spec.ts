import { describe, expect, it } from '@jest/globals';
import type { Vec3 } from '../math/mat3.js';
import { SeededRandom } from '../math/random.js';
import { LocalGeoFrame, georeferenceProblems, type Georeference } from './georeference.js';
import { geodeticToEcef, type Geodetic } from './wgs84.js';

const MM = 1e-3;

function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

function geodeticGap(a: Geodetic, b: Geodetic): number {
  return distance(geodeticToEcef(a), geodeticToEcef(b));
}

describe('LocalGeoFrame', () => {
  const ref: Georeference = { latitude: 47.3769, longitude: 8.5417, height: 408, frame: 'ENU', yawDeg: 0 };

  it('turns the local frame by its yaw from East', () => {
    const turned = new LocalGeoFrame({ ...ref, yawDeg: 90 });
    // +x of a frame yawed 90 degrees points north: same longitude, a kilometre north.
    const north = turned.toGeodetic([1000, 0, 0]);
    expect(north.lon).toBeCloseTo(ref.longitude, 9);
    expect(north.lat).toBeGreaterThan(ref.latitude);
    const plain = new LocalGeoFrame(ref);
    expect(geodeticGap(north, plain.toGeodetic([0, 1000, 0]))).toBeLessThan(MM);
    expect(distance(turned.toEnu([1, 0, 0]), [0, 1, 0])).toBeLessThan(1e-12);
    expect(distance(turned.fromEnu(turned.toEnu([3, -2, 7])), [3, -2, 7])).toBeLessThan(1e-12);
  });

  it('round-trips local -> WGS84 -> local to the millimetre at kilometre range', () => {
    const rng = new SeededRandom(9);
    const frame = new LocalGeoFrame({ ...ref, yawDeg: 33.5 });
    for (let i = 0; i < 500; i++) {
      const local: Vec3 = [rng.range(-5000, 5000), rng.range(-5000, 5000), rng.range(0, 1000)];
      expect(distance(frame.toLocal(frame.toGeodetic(local)), local)).toBeLessThan(MM);
    }
    const origin = frame.toGeodetic([0, 0, 0]);
    expect(geodeticGap(origin, { lat: ref.latitude, lon: ref.longitude, hae: ref.height })).toBeLessThan(MM);
  });

  it('gives course, speed and one-sigma errors as CoT states them', () => {
    const frame = new LocalGeoFrame(ref);
    const east = frame.track([0, 0, 50], [10, 0, 1], [4, 0, 0, 0, 1, 0, 0, 0, 9]);
    expect(east.courseDeg).toBeCloseTo(90, 9);
    expect(east.speed).toBeCloseTo(10, 9);
    expect(east.climbRate).toBeCloseTo(1, 9);
    expect(east.ce).toBeCloseTo(2, 9);
    expect(east.le).toBeCloseTo(3, 9);
    expect(east.hae).toBeGreaterThan(ref.height + 49.9);
    const south = new LocalGeoFrame({ ...ref, yawDeg: -90 }).track(
      [0, 0, 0],
      [5, 0, 0],
      [1, 0, 0, 0, 1, 0, 0, 0, 1],
    );
    expect(south.courseDeg).toBeCloseTo(180, 9);
    // Correlated x/y: the ellipse's long axis, not the diagonal.
    const skewed = frame.track([0, 0, 0], [0, 0, 0], [2, 1, 0, 1, 2, 0, 0, 0, 0]);
    expect(skewed.ce).toBeCloseTo(Math.sqrt(3), 9);
  });

  it('refuses a georeference off the globe, naming the field', () => {
    expect(georeferenceProblems({ ...ref, latitude: 91 })).toEqual([
      'georeference.latitude: must be within [-90, 90]',
    ]);
    expect(georeferenceProblems({ ...ref, longitude: Number.NaN })).toEqual([
      'georeference.longitude: must be a finite number',
    ]);
    expect(georeferenceProblems({ ...ref, height: Infinity })).toEqual([
      'georeference.height: must be a finite number',
    ]);
    expect(() => new LocalGeoFrame({ ...ref, latitude: -90.5 })).toThrow('georeference.latitude');
    expect(georeferenceProblems(ref)).toEqual([]);
  });
});
