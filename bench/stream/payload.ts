import type { TrackMessage, TrackUpdateEvent } from '../../apps/tracker/src/live/track-events.js';
import { trackMessage } from '../../apps/tracker/src/live/track-message.js';

export const STREAM_ID = 'bench-stream';

/** One frame-set's update: `tracks` tracks on circles, as the tracker would publish them. */
export function trackUpdate(frameSeq: number, tracks: number, fps: number): TrackUpdateEvent {
  const t = frameSeq / fps;
  const list: TrackMessage[] = [];
  for (let id = 1; id <= tracks; id++) {
    const a = t + id;
    // What the tracker publishes: a tracker output through the same message shaping.
    list.push(
      trackMessage({
        trackId: id,
        t,
        position: [Math.cos(a) * 3, Math.sin(a) * 3, 1 + id * 0.01],
        velocity: [-Math.sin(a) * 3, Math.cos(a) * 3, 0],
        covariance: [0.0104 + a * 1e-5, 1e-5 * a, 0, 1e-5 * a, 0.0104 + a * 1e-5, 0, 0, 0, 0.0123],
        confidence: 0.9713 + 1e-5 * a,
        state: 'confirmed',
      }),
    );
  }
  return { streamId: STREAM_ID, frameSeq, t, detectedAt: Date.now(), tracks: list };
}

/** Messages between the bench and its client process. */
/** report: the updates of frame-sets fromSeq..toSeq received so far (then forgets all). */
export type ToClients = { kind: 'report'; fromSeq: number; toSeq: number } | { kind: 'close' };
export type FromClients =
  { kind: 'ready'; connected: number } | { kind: 'report'; received: number; latencies: number[] };

export interface ClientPlan {
  mode: 'socket.io' | 'ws';
  url: string;
  count: number;
  /** Of `count`, how many stop reading after connecting. */
  stalled: number;
}
