import { describe, expect, it } from '@jest/globals';
import type { Detection } from '../detect/detect-objects.js';
import type { Vec3 } from '../math/mat3.js';
import { MultiTargetTracker } from './multi-target-tracker.js';

const det = (position: Vec3): Detection => ({
  position,
  covariance: [],
  confidence: 0.9,
  voxelCount: 1,
  voxels: new Uint32Array(1),
  voxelCameras: new Uint32Array(1),
});

describe('multi-target tracker', () => {
  it('confirms after M of N hits, coasts through misses, deletes after the coast limit', () => {
    const tracker = new MultiTargetTracker({ confirmHits: 3, confirmWindow: 5, maxCoastFrames: 2 });
    const states: string[] = [];
    let t = 0;
    const step = (dets: Detection[]) => {
      t += 0.1;
      const out = tracker.update(t, dets);
      states.push(out.map((o) => `${o.trackId}:${o.state}`).join(','));
    };
    for (let i = 0; i < 4; i++) step([det([0.1 * i, 0, 1])]);
    step([]);
    step([det([0.5, 0, 1])]);
    step([]);
    step([]);
    step([]);
    step([]);
    expect(states).toEqual([
      '1:tentative',
      '1:tentative',
      '1:confirmed',
      '1:confirmed',
      '1:coasting',
      '1:confirmed',
      '1:coasting',
      '1:coasting',
      '1:deleted',
      '',
    ]);
  });

  it('deletes a tentative track that cannot reach M of N', () => {
    const tracker = new MultiTargetTracker({ confirmHits: 3, confirmWindow: 4 });
    tracker.update(0.1, [det([0, 0, 0])]);
    tracker.update(0.2, []);
    expect(tracker.update(0.3, []).map((o) => o.state)).toEqual(['deleted']);
    expect(tracker.activeTrackCount).toBe(0);
  });

  it('keeps ids of two crossing targets with constant velocity (gating plus prediction)', () => {
    const tracker = new MultiTargetTracker({ confirmHits: 2, confirmWindow: 3, measurementVariance: 1e-4 });
    let outputs = tracker.update(0, [det([-1, 0.02, 0]), det([1, -0.02, 0])]);
    const idAtLeft = outputs.find((o) => o.position[0] < 0)!.trackId;
    for (let i = 1; i <= 20; i++) {
      const x = -1 + 0.1 * i;
      // The targets pass within 4 cm of each other at i = 10.
      outputs = tracker.update(0.1 * i, [det([x, 0.02, 0]), det([-x, -0.02, 0])]);
    }
    const leftStarter = outputs.find((o) => o.trackId === idAtLeft)!;
    expect(leftStarter.position[0]).toBeCloseTo(1, 1);
    expect(leftStarter.velocity[0]).toBeCloseTo(1, 1);
    expect(outputs.filter((o) => o.state === 'confirmed')).toHaveLength(2);
  });

  it('starts a new id for a detection far outside every gate', () => {
    const tracker = new MultiTargetTracker();
    tracker.update(0, [det([0, 0, 0])]);
    const out = tracker.update(0.1, [det([0, 0, 0.01]), det([5, 5, 5])]);
    expect(out.map((o) => o.trackId).sort()).toEqual([1, 2]);
    expect(() => tracker.update(0.1, [])).toThrow(/increase/);
  });
});

describe('multi-target tracker birth rule', () => {
  const birth = { confirmHits: 2, confirmWindow: 3, minBirthDisplacement: 0.05, minBirthSpeed: 0.5 };

  it('measures the displacement since birth on the detections, so a target is confirmed at its second hit', () => {
    // 1 m/s at 20 fps: 0.055 m between two detections; the filter, starting at rest, lags behind.
    const tracker = new MultiTargetTracker(birth);
    expect(tracker.update(0.05, [det([0, 0, 1])])[0]!.state).toBe('tentative');
    expect(tracker.update(0.1, [det([0.055, 0, 1])])[0]!.state).toBe('confirmed');
  });

  it('does not confirm a still blob, and reports only confirmed moving tracks as moving objects', () => {
    const tracker = new MultiTargetTracker(birth);
    let t = 0;
    for (let i = 0; i < 6; i++) {
      t += 0.05;
      tracker.update(t, [det([0.002 * (i % 2), 0, 1]), det([1 + 0.06 * i, 0, 1])]);
    }
    const moving = tracker.movingObjects(0.5);
    expect(moving).toHaveLength(1);
    expect(moving[0]!.position[0]).toBeGreaterThan(1);
  });
});

describe('multi-target tracker: tracks back at rest where they were born', () => {
  it('stays unpublished while it jitters in the ghost it came from, and is published again once it leaves it', () => {
    const tracker = new MultiTargetTracker({
      confirmHits: 2,
      confirmWindow: 3,
      minBirthDisplacement: 0.05,
      minBirthSpeed: 0.5,
      restRadius: 0.4,
      maxTentativeSeconds: 10,
    });
    let t = 0;
    const at = (x: number) => {
      t += 0.1;
      return tracker.update(t, [det([x, 0, 1])])[0]!.state;
    };
    // Born on an object and its ghost as one blob, it moves off with the centroid ...
    expect([at(0), at(0.1), at(0.2)]).toEqual(['tentative', 'confirmed', 'confirmed']);
    // ... then stays with the ghost, back near where it was born: unpublished.
    const still = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1].map(at);
    expect(still).toContain('tentative');
    const demotedAt = still.indexOf('tentative');
    // Jitter of a fading ghost (0.1 m steps, faster than the birth speed) does not publish it again.
    const jitter = [0.2, 0.1, 0.2, 0.1, 0.2].map(at);
    expect(jitter.every((s) => s === 'tentative')).toBe(true);
    expect(demotedAt).toBeGreaterThanOrEqual(0);
    // Flying off beyond the ghost's extent does.
    expect([0.35, 0.5].map(at)).toEqual(['tentative', 'confirmed']);
  });
});
