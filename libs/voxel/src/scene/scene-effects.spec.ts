import { describe, expect, it } from '@jest/globals';
import type { Vec3 } from '../math/mat3.js';
import { HARD_SCENE_OPTIONS, createSyntheticScene } from './synthetic-scene.js';
import { STANDARD_GRAVITY } from './target-paths.js';

const RIG = {
  count: 3,
  layout: { kind: 'ring' as const, radius: 10, heights: [2, 5, 3.5] },
  resolutions: [[160, 120]] as [number, number][],
  fovDegrees: 55,
  aimJitter: 0.3,
};

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const norm = (a: Vec3) => Math.hypot(a[0], a[1], a[2]);

describe('harder scenes', () => {
  it('flies manoeuvre turns at the stated acceleration', () => {
    // Sampled at 60 fps so the second difference resolves a 3 g turn at 3 m/s (0.3 m radius).
    for (const fps of [60]) {
      const scene = createSyntheticScene({
        seed: 4,
        targets: 1,
        frames: 6 * fps,
        fps,
        paths: ['manoeuvre'],
        speed: 3,
        turnG: 3,
        leadInFrames: 0,
        rig: RIG,
      });
      const p = (f: number) => scene.truthAt(f)[0]!.position;
      const turning: number[] = [];
      for (let f = 1; f + 1 < scene.totalFrames; f++) {
        // Second difference: acceleration, horizontal (the climb reverses at floor and ceiling).
        const a = sub(sub(p(f + 1), p(f)), sub(p(f), p(f - 1))).map((c) => c * fps * fps) as Vec3;
        const g = Math.hypot(a[0], a[1]) / STANDARD_GRAVITY;
        if (g > 1.5 && g < 6) turning.push(g); // turning, not bouncing off a wall
      }
      // In turns (rare bounces off the box's walls aside) the acceleration is the stated 3 g.
      turning.sort((x, y) => x - y);
      const median = turning[turning.length >> 1]!;
      expect(median).toBeGreaterThan(2.7);
      expect(median).toBeLessThan(3.3);
    }
  });

  it('holds stopping targets still and lets others enter and leave', () => {
    const scene = createSyntheticScene({
      seed: 5,
      targets: 8,
      frames: 60,
      fps: 10,
      stopFraction: 1,
      stopSeconds: [0.5, 0.5],
      enterLeaveFraction: 0.5,
      leadInFrames: 0,
      rig: RIG,
    });
    let still = 0;
    for (let f = 1; f < scene.totalFrames; f++) {
      const before = new Map(scene.truthAt(f - 1).map((t) => [t.targetId, t.position]));
      for (const t of scene.truthAt(f)) {
        const q = before.get(t.targetId);
        if (q && norm(sub(t.position, q)) === 0) still++;
      }
    }
    expect(still).toBeGreaterThanOrEqual(8 * 4); // every target stops for 5 frames (4 still steps)
    const present = (f: number) => scene.truthAt(f).length;
    expect(Math.min(present(0), present(scene.totalFrames - 1))).toBeLessThan(8);
  });

  it('renders distractors in one camera only, and is deterministic in any order', () => {
    const options = { ...HARD_SCENE_OPTIONS, seed: 6, targets: 0, frames: 20, noiseSigma: 0, rig: RIG };
    const scene = createSyntheticScene(options);
    const plain = createSyntheticScene({
      ...options,
      effects: { ...options.effects!, distractorsPerCamera: 0 },
    });
    const changed = [0, 1, 2].map((k) => {
      let n = 0;
      for (let f = 0; f < 20; f++) {
        const a = scene.renderFrame(f, k).data;
        const b = plain.renderFrame(f, k).data;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
      }
      return n;
    });
    expect(changed.every((n) => n > 0)).toBe(true); // each camera has its own
    const again = createSyntheticScene(options);
    expect(Array.from(again.renderFrame(7, 2).data)).toEqual(Array.from(scene.renderFrame(7, 2).data));
  });
});
