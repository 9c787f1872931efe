import type { TrackOutput } from '@voxelfleet/voxel';
import type { TrackMessage } from './track-events.js';

/** To four decimals (0.1 mm, 0.1 mm/s); prints with at most four digits after the point. */
function fourDecimals(value: number): number {
  return Number.isFinite(value) ? Number(value.toFixed(4)) : value;
}

function significant(value: number, digits: number): number {
  return value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(digits));
}

/**
 * A track as it goes out (live and history): positions to 0.1 mm, velocities to 0.1 mm/s,
 * covariance and confidence to 6 and 4 significant digits. Far below the tracker's accuracy
 * (a voxel is centimetres), and it cuts every message to about a third of the full-precision
 * JSON, which is what a thousand subscribers each parse 30 times a second.
 */
export function trackMessage(o: TrackOutput): TrackMessage {
  return {
    trackId: o.trackId,
    t: o.t,
    position: [fourDecimals(o.position[0]), fourDecimals(o.position[1]), fourDecimals(o.position[2])],
    velocity: [fourDecimals(o.velocity[0]), fourDecimals(o.velocity[1]), fourDecimals(o.velocity[2])],
    covariance: o.covariance.map((c) => significant(c, 6)),
    confidence: significant(o.confidence, 4),
    state: o.state as TrackMessage['state'],
  };
}
