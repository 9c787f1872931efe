import type { LocalGeoFrame, Vec3 } from '@voxelfleet/voxel';
import type { Wgs84Position } from './track-events.js';

/**
 * A local position on Earth as tracks carry it: 1e-9 degrees (0.1 mm of latitude) and 0.1 mm of
 * height, the same resolution as the local position it comes from. Live events and history
 * both go through here, so the two agree to the last digit.
 */
export function wgs84Position(frame: LocalGeoFrame, position: readonly number[]): Wgs84Position {
  const g = frame.toGeodetic([position[0]!, position[1]!, position[2]!] as Vec3);
  return { lat: Number(g.lat.toFixed(9)), lon: Number(g.lon.toFixed(9)), hae: Number(g.hae.toFixed(4)) };
}
