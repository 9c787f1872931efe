import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../math/random.js';
import type { Vec3 } from '../math/mat3.js';
import {
  ecefToEnu,
  ecefToGeodetic,
  enuToEcef,
  geodeticToEcef,
  WGS84_A,
  WGS84_B,
  type Geodetic,
} from './wgs84.js';

const MM = 1e-3;

function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** The gap between two geodetic positions in metres (through ECEF, exact for any size). */
function geodeticGap(a: Geodetic, b: Geodetic): number {
  return distance(geodeticToEcef(a), geodeticToEcef(b));
}

describe('WGS84 geodetic and ECEF', () => {
  it('puts the axes where the ellipsoid has them', () => {
    expect(distance(geodeticToEcef({ lat: 0, lon: 0, hae: 0 }), [WGS84_A, 0, 0])).toBeLessThan(MM);
    expect(distance(geodeticToEcef({ lat: 0, lon: 90, hae: 0 }), [0, WGS84_A, 0])).toBeLessThan(MM);
    expect(distance(geodeticToEcef({ lat: 0, lon: 180, hae: 10 }), [-WGS84_A - 10, 0, 0])).toBeLessThan(MM);
    expect(distance(geodeticToEcef({ lat: 90, lon: 0, hae: 0 }), [0, 0, WGS84_B])).toBeLessThan(MM);
    expect(distance(geodeticToEcef({ lat: -90, lon: 0, hae: 100 }), [0, 0, -WGS84_B - 100])).toBeLessThan(MM);
    // The polar radius of WGS84 as NIMA TR8350.2 tabulates it.
    expect(WGS84_B).toBeCloseTo(6356752.3142, 4);
  });

  it("matches GeographicLib's CartConvert on known points", () => {
    // Reference values printed by GeographicLib 2.1's CartConvert (-p 3 / -p 4), an
    // independent implementation (Karney), to the millimetre.
    const known: [Geodetic, Vec3][] = [
      [{ lat: 33.3, lon: 44.4, hae: 6000 }, [3816209.604, 3737108.55, 3485109.573]],
      [{ lat: -33.8688, lon: 151.2093, hae: 58.2 }, [-4646093.6228, 2553229.6158, -3534404.8224]],
      [{ lat: 47.3769, lon: 8.5417, hae: 408 }, [4279227.8065, 642719.2221, 4670540.8785]],
      [{ lat: 78.2232, lon: 15.6267, hae: -30.5 }, [1257693.2368, 351786.121, 6222040.1876]],
    ];
    for (const [g, ecef] of known) expect(distance(geodeticToEcef(g), ecef)).toBeLessThan(MM);
    // CartConvert -r: "1000000 2000000 6000000" -> 69.68544237306564 63.43494882292201 43775.441322154.
    const back = ecefToGeodetic([1_000_000, 2_000_000, 6_000_000]);
    expect(back.lat).toBeCloseTo(69.68544237306564, 10);
    expect(back.lon).toBeCloseTo(63.43494882292201, 10);
    expect(back.hae).toBeCloseTo(43775.441322154, 6);
    // CartConvert -l lat0 lon0 h0: local x east, y north, z up.
    const enu = ecefToEnu(geodeticToEcef({ lat: 33.3, lon: 44.4, hae: 6000 }), { lat: 33, lon: 44, hae: 20 });
    expect(distance(enu, [37288.973, 33374.295, 5783.647])).toBeLessThan(MM);
    const mcMurdo = ecefToEnu(geodeticToEcef({ lat: -77.8419, lon: 166.6863, hae: 10 }), {
      lat: -77.85,
      lon: 166.67,
      hae: 0,
    });
    expect(distance(mcMurdo, [383.3823, 904.2641, 9.9246])).toBeLessThan(MM);
  });

  it('finds latitude, longitude and height back from ECEF at the poles and the equator', () => {
    const pole = ecefToGeodetic([0, 0, WGS84_B + 1234.5]);
    expect(pole.lat).toBeCloseTo(90, 12);
    expect(pole.hae).toBeCloseTo(1234.5, 6);
    const south = ecefToGeodetic([0, 0, -WGS84_B]);
    expect(south.lat).toBeCloseTo(-90, 12);
    expect(Math.abs(south.hae)).toBeLessThan(MM);
    const equator = ecefToGeodetic([0, -WGS84_A - 50, 0]);
    expect(equator).toMatchObject({ lat: 0, lon: -90 });
    expect(equator.hae).toBeCloseTo(50, 6);
  });

  it('round-trips geodetic -> ECEF -> geodetic to the millimetre over the whole globe', () => {
    const rng = new SeededRandom(22);
    let worst = 0;
    for (let i = 0; i < 5_000; i++) {
      const g: Geodetic = {
        lat: rng.range(-90, 90),
        lon: rng.range(-180, 180),
        hae: rng.range(-1_000, 100_000),
      };
      const back = ecefToGeodetic(geodeticToEcef(g));
      worst = Math.max(worst, geodeticGap(g, back), Math.abs(back.hae - g.hae));
    }
    expect(worst).toBeLessThan(MM);
  });

  it('round-trips ECEF -> ENU -> ECEF and geodetic -> local -> geodetic to the millimetre', () => {
    const rng = new SeededRandom(5);
    let worst = 0;
    for (let i = 0; i < 2_000; i++) {
      const origin: Geodetic = {
        lat: rng.range(-89, 89),
        lon: rng.range(-180, 180),
        hae: rng.range(-100, 3000),
      };
      const enu: Vec3 = [rng.range(-5000, 5000), rng.range(-5000, 5000), rng.range(-100, 1000)];
      const ecef = enuToEcef(enu, origin);
      worst = Math.max(worst, distance(ecefToEnu(ecef, origin), enu));
      // Through latitude/longitude too: what a track goes through on its way out.
      worst = Math.max(worst, distance(ecefToEnu(geodeticToEcef(ecefToGeodetic(ecef)), origin), enu));
    }
    expect(worst).toBeLessThan(MM);
  });

  it('keeps the length of an ENU offset (the rotation is orthonormal)', () => {
    const origin = { lat: 51.4779, lon: -0.0015, hae: 45 };
    const offset: Vec3 = [3000, -4000, 0];
    expect(distance(enuToEcef(offset, origin), geodeticToEcef(origin))).toBeCloseTo(5000, 9);
    // Straight up from the origin is straight up in ENU.
    const above = geodeticToEcef({ ...origin, hae: origin.hae + 100 });
    expect(distance(ecefToEnu(above, origin), [0, 0, 100])).toBeLessThan(MM);
  });
});
