import { buildCotEvent, DEFAULT_COT_HOW, type LocalGeoFrame } from '@voxelfleet/voxel';
import type { RuntimeSink } from '../runtime/stream-runtime.js';
import type { CotOutput } from '../streams/cot-output.dto.js';
import type { CotOutlet } from './cot-sender.service.js';
import type { TrackMessage, TrackUpdateEvent, Wgs84Position } from './track-events.js';
import { wgs84Position } from './wgs84-position.js';

export interface CotStream {
  streamId: string;
  /** Callsigns are `<stream name>-<track id>`. */
  streamName: string;
  output: CotOutput;
  outlet: CotOutlet;
}

/** A CoT uid per track of a stream: the same track keeps its marker on the map. */
export function cotUid(streamId: string, trackId: number): string {
  return `voxelfleet.${streamId}.${trackId}`;
}

/**
 * A stream's sink on a georeferenced rig: every track also gets its WGS84 position, and when
 * the stream has a CoT output each frame-set's tracks go there as one event per track (time
 * and start the moment they were computed, stale `staleSeconds` later). A lost track is sent
 * once more, already stale, so TAK clients drop its marker instead of waiting it out.
 */
export function geoSink(inner: RuntimeSink, frame: LocalGeoFrame, cot: CotStream | null): RuntimeSink {
  const last = new Map<number, { message: TrackMessage; wgs84: Wgs84Position }>();
  const event = (message: TrackMessage, wgs84: Wgs84Position, at: number, staleAt: number): string => {
    const motion = frame.track(message.position, message.velocity, message.covariance);
    return buildCotEvent({
      uid: cotUid(cot!.streamId, message.trackId),
      type: cot!.output.type,
      how: DEFAULT_COT_HOW,
      time: new Date(at),
      start: new Date(at),
      stale: new Date(staleAt),
      point: { ...wgs84, ce: motion.ce, le: motion.le },
      track: { course: motion.courseDeg, speed: motion.speed },
      callsign: `${cot!.streamName}-${message.trackId}`,
      remarks: `${message.state}, confidence ${message.confidence}, stream t ${message.t}`,
    });
  };
  return {
    tracks(tenantId, update: TrackUpdateEvent) {
      const tracks = update.tracks.map((t) => ({ ...t, wgs84: wgs84Position(frame, t.position) }));
      inner.tracks(tenantId, { ...update, tracks });
      if (!cot) return;
      const staleAt = update.detectedAt + cot.output.staleSeconds * 1000;
      const events: string[] = [];
      for (const t of tracks) {
        last.set(t.trackId, { message: t, wgs84: t.wgs84 });
        events.push(event(t, t.wgs84, update.detectedAt, staleAt));
      }
      if (events.length > 0) cot.outlet.send(events);
    },
    lost(tenantId, lostEvent) {
      inner.lost(tenantId, lostEvent);
      const seen = last.get(lostEvent.trackId);
      if (!cot || !seen) return;
      last.delete(lostEvent.trackId);
      const now = Date.now();
      cot.outlet.send([event(seen.message, seen.wgs84, now, now)]);
    },
    frameSetDone: inner.frameSetDone && ((ms) => inner.frameSetDone!(ms)),
    frameSetRejected: inner.frameSetRejected && (() => inner.frameSetRejected!()),
    status: inner.status && ((e) => inner.status!(e)),
  };
}
