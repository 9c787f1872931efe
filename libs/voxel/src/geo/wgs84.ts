import { DEG, type Mat3, type Vec3 } from '../math/mat3.js';

const M = Math;

/** The WGS84 ellipsoid (NIMA TR8350.2): semi-major axis in metres and flattening. */
export const WGS84_A = 6378137;
export const WGS84_F = 1 / 298.257223563;
export const WGS84_B = WGS84_A * (1 - WGS84_F);
/** First and second eccentricity squared. */
const E2 = WGS84_F * (2 - WGS84_F);
const EP2 = E2 / (1 - E2);

/** A WGS84 position: latitude and longitude in degrees, height above the ellipsoid in metres. */
export interface Geodetic {
  lat: number;
  lon: number;
  hae: number;
}

export function geodeticToEcef(g: Geodetic): Vec3 {
  const phi = g.lat * DEG;
  const lambda = g.lon * DEG;
  const sinPhi = M.sin(phi);
  const cosPhi = M.cos(phi);
  const n = WGS84_A / M.sqrt(1 - E2 * sinPhi * sinPhi);
  return [
    (n + g.hae) * cosPhi * M.cos(lambda),
    (n + g.hae) * cosPhi * M.sin(lambda),
    (n * (1 - E2) + g.hae) * sinPhi,
  ];
}

/**
 * Bowring's method on the parametric latitude, iterated: three rounds reach well below a
 * micrometre from the surface to orbit heights. The height formula stays exact at the poles,
 * where p / cos(latitude) would divide by zero.
 */
export function ecefToGeodetic(p: Vec3): Geodetic {
  const [x, y, z] = p;
  const r = M.hypot(x, y);
  const lon = M.atan2(y, x);
  let beta = M.atan2(z, (1 - WGS84_F) * r);
  let phi = 0;
  for (let i = 0; i < 3; i++) {
    const sinB = M.sin(beta);
    const cosB = M.cos(beta);
    phi = M.atan2(z + EP2 * WGS84_B * sinB * sinB * sinB, r - E2 * WGS84_A * cosB * cosB * cosB);
    beta = M.atan2((1 - WGS84_F) * M.sin(phi), M.cos(phi));
  }
  const sinPhi = M.sin(phi);
  const hae = r * M.cos(phi) + z * sinPhi - WGS84_A * M.sqrt(1 - E2 * sinPhi * sinPhi);
  return { lat: phi / DEG, lon: lon / DEG, hae };
}

/** Rows are the East, North and Up unit vectors in ECEF at a latitude/longitude (degrees). */
export function ecefToEnuRotation(lat: number, lon: number): Mat3 {
  const sinPhi = M.sin(lat * DEG);
  const cosPhi = M.cos(lat * DEG);
  const sinL = M.sin(lon * DEG);
  const cosL = M.cos(lon * DEG);
  return [-sinL, cosL, 0, -sinPhi * cosL, -sinPhi * sinL, cosPhi, cosPhi * cosL, cosPhi * sinL, sinPhi];
}

/** ECEF to East/North/Up metres about an origin on (or above) the ellipsoid. */
export function ecefToEnu(p: Vec3, origin: Geodetic): Vec3 {
  const o = geodeticToEcef(origin);
  const r = ecefToEnuRotation(origin.lat, origin.lon);
  const d: Vec3 = [p[0] - o[0], p[1] - o[1], p[2] - o[2]];
  return [
    r[0] * d[0] + r[1] * d[1] + r[2] * d[2],
    r[3] * d[0] + r[4] * d[1] + r[5] * d[2],
    r[6] * d[0] + r[7] * d[1] + r[8] * d[2],
  ];
}

export function enuToEcef(enu: Vec3, origin: Geodetic): Vec3 {
  const o = geodeticToEcef(origin);
  const r = ecefToEnuRotation(origin.lat, origin.lon);
  // The rotation is orthonormal: its transpose takes ENU back to ECEF.
  return [
    o[0] + r[0] * enu[0] + r[3] * enu[1] + r[6] * enu[2],
    o[1] + r[1] * enu[0] + r[4] * enu[1] + r[7] * enu[2],
    o[2] + r[2] * enu[0] + r[5] * enu[1] + r[8] * enu[2],
  ];
}
