import type {
  StreamProgressEvent,
  StreamStatusEvent,
  TrackLostEvent,
  TrackMessage,
  TrackServerEvents,
  TrackUpdateEvent,
} from './track-events.js';

/** Per stream, at most this many tracks are held for a slow subscriber (oldest dropped). */
export const MAX_HELD_TRACKS = 4_096;

interface HeldStream {
  tracks: Map<number, TrackMessage>;
  lost: Map<number, TrackLostEvent>;
  last: { frameSeq: number; t: number; detectedAt: number } | null;
  status: StreamStatusEvent | null;
  progress: StreamProgressEvent | null;
}

export type OutboxEvent = {
  [K in keyof TrackServerEvents]: { name: K; payload: Parameters<TrackServerEvents[K]>[0] };
}[keyof TrackServerEvents];

/**
 * What a subscriber that cannot keep up is owed: the latest state of each track (a newer
 * update replaces an older one), tracks lost since, the latest status and progress. Memory is
 * bounded by the number of tracks, never by how long the subscriber stalls.
 */
export class SubscriberOutbox {
  private readonly streams = new Map<string, HeldStream>();

  get empty(): boolean {
    return this.streams.size === 0;
  }

  /** Entries held, for tests and metrics. */
  get size(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.tracks.size + s.lost.size;
    return n;
  }

  update(event: TrackUpdateEvent): void {
    const held = this.held(event.streamId);
    for (const track of event.tracks) {
      held.tracks.delete(track.trackId);
      held.tracks.set(track.trackId, track);
      held.lost.delete(track.trackId);
    }
    while (held.tracks.size > MAX_HELD_TRACKS) held.tracks.delete(held.tracks.keys().next().value!);
    held.last = { frameSeq: event.frameSeq, t: event.t, detectedAt: event.detectedAt };
  }

  lost(event: TrackLostEvent): void {
    const held = this.held(event.streamId);
    held.tracks.delete(event.trackId);
    held.lost.set(event.trackId, event);
    while (held.lost.size > MAX_HELD_TRACKS) held.lost.delete(held.lost.keys().next().value!);
  }

  status(event: StreamStatusEvent): void {
    this.held(event.streamId).status = event;
  }

  progress(event: StreamProgressEvent): void {
    this.held(event.streamId).progress = event;
  }

  /** Forgets a stream (unsubscribed). */
  drop(streamId: string): void {
    this.streams.delete(streamId);
  }

  /** Everything held, as the events to send now, and empties the outbox. */
  take(): OutboxEvent[] {
    const out: OutboxEvent[] = [];
    for (const [streamId, held] of this.streams) {
      if (held.status) out.push({ name: 'stream.status', payload: held.status });
      if (held.last && held.tracks.size > 0) {
        out.push({
          name: 'track.update',
          payload: { streamId, ...held.last, tracks: [...held.tracks.values()], coalesced: true },
        });
      }
      for (const lost of held.lost.values()) out.push({ name: 'track.lost', payload: lost });
      if (held.progress) out.push({ name: 'stream.progress', payload: held.progress });
    }
    this.streams.clear();
    return out;
  }

  private held(streamId: string): HeldStream {
    let held = this.streams.get(streamId);
    if (!held) {
      held = { tracks: new Map(), lost: new Map(), last: null, status: null, progress: null };
      this.streams.set(streamId, held);
    }
    return held;
  }
}
