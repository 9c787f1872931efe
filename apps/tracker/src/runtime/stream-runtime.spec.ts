import { describe, expect, it } from '@jest/globals';
import { createSyntheticScene } from '@voxelfleet/voxel';
import type { TrackLostEvent, TrackUpdateEvent } from '../live/track-events.js';
import { StreamRuntime } from './stream-runtime.js';

const scene = createSyntheticScene({
  seed: 3,
  targets: 1,
  frames: 12,
  gridDims: [32, 32, 24],
  voxelSize: 0.2,
  rig: {
    count: 3,
    layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
    resolutions: [[96, 72]],
    fovDegrees: 55,
    aimJitter: 0.3,
  },
});

function runtime(updates: TrackUpdateEvent[] = [], lost: TrackLostEvent[] = []) {
  return new StreamRuntime(
    'stream-1',
    'tenant-1',
    scene.cameras,
    scene.grid,
    { motionThreshold: 4, windowFrames: 1, minCameras: 3, confirmHits: 2, confirmWindow: 3, fps: 20 },
    { tracks: (_tenant, e) => updates.push(e), lost: (_tenant, e) => lost.push(e) },
  );
}

const framesAt = (f: number) => scene.cameras.map((_, k) => scene.renderFrame(f, k));

describe('StreamRuntime', () => {
  it('processes frame-sets in order and publishes one update per frame-set', async () => {
    const updates: TrackUpdateEvent[] = [];
    const r = runtime(updates);
    const outcomes = await Promise.all(
      Array.from({ length: scene.totalFrames }, (_, f) =>
        r.submit({ kind: 'frames', t: scene.timeOf(f), frames: framesAt(f) }),
      ),
    );
    expect(outcomes.map((o) => o.frameSeq)).toEqual(
      Array.from({ length: scene.totalFrames }, (_, f) => f + 1),
    );
    expect(updates.map((u) => u.frameSeq)).toEqual(outcomes.map((o) => o.frameSeq));
    // The target is confirmed and followed once the lead-in is over.
    expect(updates.at(-1)?.tracks).toHaveLength(1);
    const stats = r.snapshot();
    expect(stats).toMatchObject({
      framesProcessed: scene.totalFrames,
      camerasSeen: ['cam0', 'cam1', 'cam2'],
      tracks: 1,
    });
  });

  it('refuses a frame-set that is out of order, the wrong size or the wrong count, changing nothing', async () => {
    const r = runtime();
    await r.submit({ kind: 'frames', t: 1, frames: framesAt(0) });
    expect(() => r.submit({ kind: 'frames', t: 1, frames: framesAt(1) })).toThrow(/not after/);
    expect(() => r.submit({ kind: 'frames', t: 2, frames: framesAt(1).slice(1) })).toThrow(
      /2 cameras, the rig 3/,
    );
    const wrong = framesAt(1);
    wrong[0] = { width: 10, height: 10, bitDepth: 8, data: new Uint8Array(100) };
    expect(() => r.submit({ kind: 'frames', t: 2, frames: wrong })).toThrow(/10x10/);
    expect(r.lastT).toBe(1);
    await expect(r.submit({ kind: 'frames', t: 2, frames: framesAt(1) })).resolves.toMatchObject({
      frameSeq: 2,
    });
  });

  it('bounds t: a huge time or a jump of more than a day is refused and does not wedge the stream', async () => {
    const r = runtime();
    await r.submit({ kind: 'frames', t: 1, frames: framesAt(0) });
    expect(() => r.submit({ kind: 'frames', t: 1e308, frames: framesAt(1) })).toThrow(
      /from 0 to 10000000000/,
    );
    expect(() => r.submit({ kind: 'frames', t: 1 + 86_401, frames: framesAt(1) })).toThrow(
      /reset the stream/,
    );
    expect(r.lastT).toBe(1);
    await expect(r.submit({ kind: 'frames', t: 2, frames: framesAt(1) })).resolves.toMatchObject({
      frameSeq: 2,
    });
  });

  it('reports a published track as lost once the tracker deletes it', async () => {
    const lost: TrackLostEvent[] = [];
    const updates: TrackUpdateEvent[] = [];
    const r = runtime(updates, lost);
    let t = 0;
    for (let f = 0; f < scene.totalFrames; f++)
      await r.submit({ kind: 'frames', t: (t = scene.timeOf(f)), frames: framesAt(f) });
    const id = updates.at(-1)!.tracks[0]!.trackId;
    // Empty frame-sets (no motion anywhere) until the track coasts out.
    for (let i = 1; i <= 10; i++) await r.submit({ kind: 'motion', t: t + i, motions: [null, null, null] });
    expect(lost.map((l) => l.trackId)).toEqual([id]);
    expect(updates.at(-1)?.tracks).toEqual([]);
  });
});
