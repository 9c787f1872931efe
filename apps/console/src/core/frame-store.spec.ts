import { describe, expect, it } from '@jest/globals';
import { FrameStore } from './frame-store.js';
import { framesFromHistory, type TrackFrame } from './track-frame.js';

const frame = (t: number, ids: number[] = [1]): TrackFrame => ({
  t,
  tracks: ids.map((trackId) => ({
    trackId,
    position: [t, 0, 0],
    velocity: [1, 0, 0],
    confidence: 0.9,
    state: 'confirmed',
  })),
});

describe('FrameStore', () => {
  it('finds the frame at or before a time', () => {
    const store = new FrameStore(10);
    [0, 0.1, 0.2, 0.3].forEach((t) => store.insert(frame(t)));
    expect(store.frameAt(-1)).toBeUndefined();
    expect(store.frameAt(0)?.t).toBe(0);
    expect(store.frameAt(0.25)?.t).toBe(0.2);
    expect(store.frameAt(9)?.t).toBe(0.3);
    expect(store.between(0.1, 0.3).map((f) => f.t)).toEqual([0.2, 0.3]);
    expect(store.between(-1, 0.3, 2).map((f) => f.t)).toEqual([0.2, 0.3]);
  });

  it('merges older frames in order and replaces a frame of the same time', () => {
    const store = new FrameStore(10);
    store.insert(frame(2));
    store.insert(frame(0));
    store.insert(frame(1));
    store.insert(frame(1, [7, 8]));
    expect(store.between(-Infinity, Infinity).map((f) => [f.t, f.tracks.length])).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
    ]);
    expect(store.first?.t).toBe(0);
    expect(store.last?.t).toBe(2);
  });

  it('stays bounded, dropping the oldest frames', () => {
    const store = new FrameStore(100);
    for (let i = 0; i < 1000; i++) store.insert(frame(i));
    expect(store.size).toBeLessThanOrEqual(125);
    expect(store.size).toBeGreaterThanOrEqual(100);
    expect(store.last?.t).toBe(999);
    expect(store.frameAt(950)?.t).toBe(950);
    store.clear();
    expect(store.size).toBe(0);
  });
});

describe('framesFromHistory', () => {
  it('groups points of the same time into one frame', () => {
    const frames = framesFromHistory([
      { trackId: 1, t: 0, state: 'confirmed', position: [0, 0, 0], velocity: [0, 0, 0], confidence: 1 },
      { trackId: 2, t: 0, state: 'coasting', position: [1, 0, 0], velocity: [0, 0, 0], confidence: 0.5 },
      { trackId: 1, t: 0.05, state: 'confirmed', position: [0, 1, 0], velocity: [0, 0, 0], confidence: 1 },
    ]);
    expect(frames.map((f) => [f.t, f.tracks.map((s) => s.trackId)])).toEqual([
      [0, [1, 2]],
      [0.05, [1]],
    ]);
  });
});
