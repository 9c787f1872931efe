import { describe, expect, it } from '@jest/globals';
import { FrameSynchronizer } from './frame-synchronizer.js';

const frame = (cameraId: string, timestamp: number) => ({
  cameraId,
  timestamp,
  payload: `${cameraId}@${timestamp}`,
});

describe('frame synchroniser', () => {
  it('emits a set as soon as every camera delivered, with jittered timestamps', () => {
    const sync = new FrameSynchronizer<string>({ cameraIds: ['a', 'b', 'c'], toleranceMs: 5, minCameras: 2 });
    expect(sync.push(frame('a', 100))).toEqual([]);
    expect(sync.push(frame('c', 103))).toEqual([]);
    const [set] = sync.push(frame('b', 98));
    expect(set!.frames.map((f) => f.cameraId)).toEqual(['a', 'b', 'c']);
    expect(set!.timestamp).toBeCloseTo(100.333, 3);
    expect(set!.missing).toEqual([]);
  });

  it('proceeds with the cameras present when at least the minimum, drops the set otherwise', () => {
    const sync = new FrameSynchronizer<string>({ cameraIds: ['a', 'b', 'c'], toleranceMs: 5, minCameras: 2 });
    sync.push(frame('a', 100));
    sync.push(frame('b', 101));
    // the next frame-set starts and camera c never sent its frame at 100: that set closes
    const sets = sync.push(frame('a', 133));
    expect(sets).toHaveLength(1);
    expect(sets[0]!.missing).toEqual(['c']);
    expect(sync.push(frame('b', 134))).toEqual([]);
    expect(sync.push(frame('a', 166)).map((s) => s.frames.length)).toEqual([2]);
    expect(sync.push(frame('a', 200))).toEqual([]); // the set at 166 had camera a only
    expect(sync.stats.emitted).toBe(2);
    expect(sync.stats.droppedSets).toBe(1); // the set at 166 had only camera a
    expect(sync.flush()).toHaveLength(0);
    expect(sync.stats.droppedSets).toBe(2);
  });

  it('counts late and duplicate frames instead of reopening sets', () => {
    const sync = new FrameSynchronizer<string>({ cameraIds: ['a', 'b'], toleranceMs: 2, minCameras: 1 });
    sync.push(frame('a', 10));
    sync.push(frame('a', 11));
    expect(sync.stats.duplicateFrames).toBe(1);
    sync.push(frame('b', 10));
    expect(sync.push(frame('b', 9))).toEqual([]);
    expect(sync.stats.lateFrames).toBe(1);
    expect(() => sync.push(frame('z', 20))).toThrow(/unknown camera/);
  });
});
