import type { TrackMessage, TrackUpdateEvent } from '../../apps/tracker/src/live/track-events.js';

export const STREAM_ID = 'bench-stream';

/** One frame-set's update: `tracks` tracks on circles, as the tracker would publish them. */
export function trackUpdate(frameSeq: number, tracks: number, fps: number): TrackUpdateEvent {
  const t = frameSeq / fps;
  const list: TrackMessage[] = [];
  for (let id = 1; id <= tracks; id++) {
    const a = t + id;
    list.push({
      trackId: id,
      t,
      position: [Math.cos(a) * 3, Math.sin(a) * 3, 1 + id * 0.01],
      velocity: [-Math.sin(a) * 3, Math.cos(a) * 3, 0],
      covariance: [0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.01],
      confidence: 0.97,
      state: 'confirmed',
    });
  }
  return { streamId: STREAM_ID, frameSeq, t, detectedAt: Date.now(), tracks: list };
}

/** Messages between the bench and its client process. */
export type ToClients = { kind: 'report' } | { kind: 'close' };
export type FromClients =
  { kind: 'ready'; connected: number } | { kind: 'report'; received: number; latencies: number[] };

export interface ClientPlan {
  mode: 'socket.io' | 'ws';
  url: string;
  count: number;
  /** Of `count`, how many stop reading after connecting. */
  stalled: number;
}
