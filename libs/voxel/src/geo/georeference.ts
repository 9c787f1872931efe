import { DEG, type Vec3 } from '../math/mat3.js';
import { ecefToEnu, ecefToGeodetic, enuToEcef, geodeticToEcef, type Geodetic } from './wgs84.js';

const M = Math;

/**
 * Where a rig's local frame sits on Earth: the WGS84 position of its origin (height above the
 * ellipsoid, not above sea level) and its orientation. The only orientation is ENU (x east,
 * y north, z up, which is how the rigs and the scene generator already use z), turned about
 * the up axis by `yawDeg`: the angle from East to the local +x axis, counter-clockwise seen
 * from above (90 puts +x on North and +y on West).
 */
export interface Georeference {
  latitude: number;
  longitude: number;
  height: number;
  frame: 'ENU';
  yawDeg: number;
}

/** Heights a georeferenced origin may have: from the deepest ocean floor to far above any flight. */
export const MIN_ORIGIN_HEIGHT = -11_000;
export const MAX_ORIGIN_HEIGHT = 100_000;

/** What is wrong with a georeference, each entry naming its field; empty when it is usable. */
export function georeferenceProblems(ref: Georeference, field = 'georeference'): string[] {
  const problems: string[] = [];
  const check = (name: keyof Georeference, value: unknown, min: number, max: number): void => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${field}.${name}: must be a finite number`);
    } else if (value < min || value > max) {
      problems.push(`${field}.${name}: must be within [${min}, ${max}]`);
    }
  };
  check('latitude', ref.latitude, -90, 90);
  check('longitude', ref.longitude, -180, 180);
  check('height', ref.height, MIN_ORIGIN_HEIGHT, MAX_ORIGIN_HEIGHT);
  check('yawDeg', ref.yawDeg, -360, 360);
  if (ref.frame !== 'ENU') problems.push(`${field}.frame: must be 'ENU'`);
  return problems;
}

/** A track's position and motion on Earth, with its uncertainty as CoT states it (one sigma). */
export interface GeodeticTrack extends Geodetic {
  /** Degrees clockwise from true north, [0, 360). */
  courseDeg: number;
  /** Horizontal speed, m/s. */
  speed: number;
  /** Up positive, m/s. */
  climbRate: number;
  /** One-sigma horizontal error radius (largest axis of the horizontal ellipse), metres. */
  ce: number;
  /** One-sigma vertical error, metres. */
  le: number;
}

/** A rig's local frame placed on the WGS84 ellipsoid. */
export class LocalGeoFrame {
  readonly origin: Geodetic;
  private readonly cosYaw: number;
  private readonly sinYaw: number;

  constructor(readonly reference: Georeference) {
    const problems = georeferenceProblems(reference);
    if (problems.length > 0) throw new RangeError(problems.join('; '));
    this.origin = { lat: reference.latitude, lon: reference.longitude, hae: reference.height };
    this.cosYaw = M.cos(reference.yawDeg * DEG);
    this.sinYaw = M.sin(reference.yawDeg * DEG);
  }

  /** A local vector (position or velocity) in East/North/Up. */
  toEnu(v: Vec3): Vec3 {
    return [v[0] * this.cosYaw - v[1] * this.sinYaw, v[0] * this.sinYaw + v[1] * this.cosYaw, v[2]];
  }

  fromEnu(enu: Vec3): Vec3 {
    return [
      enu[0] * this.cosYaw + enu[1] * this.sinYaw,
      -enu[0] * this.sinYaw + enu[1] * this.cosYaw,
      enu[2],
    ];
  }

  toGeodetic(local: Vec3): Geodetic {
    return ecefToGeodetic(enuToEcef(this.toEnu(local), this.origin));
  }

  toLocal(g: Geodetic): Vec3 {
    return this.fromEnu(ecefToEnu(geodeticToEcef(g), this.origin));
  }

  /** Position, course, speed and one-sigma errors from a local state and its 3x3 covariance. */
  track(position: Vec3, velocity: Vec3, covariance: readonly number[]): GeodeticTrack {
    const g = this.toGeodetic(position);
    const [ve, vn, vu] = this.toEnu(velocity);
    const course = (M.atan2(ve, vn) / DEG + 360) % 360;
    // The horizontal ellipse's axes do not change under a turn about up, so the local x/y
    // block gives them directly.
    const sxx = covariance[0] ?? 0;
    const sxy = covariance[1] ?? 0;
    const syy = covariance[4] ?? 0;
    const szz = covariance[8] ?? 0;
    const half = (sxx + syy) / 2;
    const largest = half + M.sqrt(((sxx - syy) / 2) ** 2 + sxy * sxy);
    return {
      ...g,
      courseDeg: course,
      speed: M.hypot(ve, vn),
      climbRate: vu,
      ce: M.sqrt(M.max(0, largest)),
      le: M.sqrt(M.max(0, szz)),
    };
  }
}
