import { describe, expect, it } from '@jest/globals';
import { MAX_HELD_TRACKS, SubscriberOutbox } from './subscriber-outbox.js';
import type { TrackMessage } from './track-events.js';

function track(trackId: number, x: number): TrackMessage {
  return {
    trackId,
    t: x,
    position: [x, 0, 0],
    velocity: [0, 0, 0],
    covariance: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    confidence: 1,
    state: 'confirmed',
  };
}

describe('SubscriberOutbox', () => {
  it('keeps only the latest state of each track over many frame-sets', () => {
    const outbox = new SubscriberOutbox();
    for (let f = 1; f <= 1000; f++) {
      outbox.update({ streamId: 's', frameSeq: f, t: f, detectedAt: f, tracks: [track(1, f), track(2, -f)] });
    }
    expect(outbox.size).toBe(2);
    const events = outbox.take();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.name).toBe('track.update');
    if (event?.name !== 'track.update') return;
    expect(event.payload).toMatchObject({ streamId: 's', frameSeq: 1000, t: 1000, coalesced: true });
    expect(event.payload.tracks.map((t) => [t.trackId, t.position[0]])).toEqual([
      [1, 1000],
      [2, -1000],
    ]);
    expect(outbox.empty).toBe(true);
  });

  it('a lost track replaces its held state, and a track seen again is no longer lost', () => {
    const outbox = new SubscriberOutbox();
    outbox.update({ streamId: 's', frameSeq: 1, t: 1, detectedAt: 1, tracks: [track(1, 1), track(2, 2)] });
    outbox.lost({ streamId: 's', trackId: 1, t: 2 });
    outbox.lost({ streamId: 's', trackId: 2, t: 2 });
    outbox.update({ streamId: 's', frameSeq: 3, t: 3, detectedAt: 3, tracks: [track(2, 3)] });
    const events = outbox.take();
    expect(events.map((e) => e.name)).toEqual(['track.update', 'track.lost']);
    expect(events[1]?.payload).toMatchObject({ trackId: 1 });
  });

  it('stays bounded however many distinct tracks arrive', () => {
    const outbox = new SubscriberOutbox();
    for (let id = 0; id < MAX_HELD_TRACKS * 3; id++) {
      outbox.update({ streamId: 's', frameSeq: id, t: id, detectedAt: id, tracks: [track(id, id)] });
      outbox.lost({ streamId: 'other', trackId: id, t: id });
    }
    expect(outbox.size).toBe(2 * MAX_HELD_TRACKS);
    // The newest are the ones kept.
    const update = outbox.take().find((e) => e.name === 'track.update');
    expect(update?.name === 'track.update' && update.payload.tracks.at(-1)?.trackId).toBe(
      MAX_HELD_TRACKS * 3 - 1,
    );
  });

  it('holds the latest status and progress and forgets dropped streams', () => {
    const outbox = new SubscriberOutbox();
    outbox.status({ streamId: 's', state: 'running', at: 'a' });
    outbox.status({ streamId: 's', state: 'paused', at: 'b' });
    outbox.status({ streamId: 'gone', state: 'paused', at: 'b' });
    outbox.drop('gone');
    const events = outbox.take();
    expect(events).toEqual([{ name: 'stream.status', payload: { streamId: 's', state: 'paused', at: 'b' } }]);
  });
});
