import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../math/random.js';
import { BackgroundModel } from './background-model.js';
import { motionToMask, type GreyFrame } from './grey-frame.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

function noisyFrame(
  rng: SeededRandom,
  sigma: number,
  bitDepth: 8 | 16,
  square?: [number, number],
): GreyFrame {
  const width = 64;
  const height = 48;
  const scale = bitDepth === 16 ? 256 : 1;
  const data = bitDepth === 8 ? new Uint8Array(width * height) : new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = square && x >= square[0] && x < square[0] + 6 && y >= square[1] && y < square[1] + 6;
      const value = (inside ? 200 : 60 + x) + sigma * rng.gaussian();
      data[y * width + x] = M.max(0, M.min(255, M.round(value))) * scale;
    }
  }
  return { width, height, bitDepth, data };
}

describe('background model', () => {
  for (const bitDepth of [8, 16] as const) {
    it(`finds a moving square and almost nothing else (${bitDepth}-bit, sigma 5)`, () => {
      const rng = new SeededRandom(1);
      const model = new BackgroundModel(64, 48, bitDepth === 16 ? { minSigma: 512, initialSigma: 1536 } : {});
      for (let i = 0; i < 30; i++) model.update(noisyFrame(rng, 5, bitDepth));
      const motion = model.update(noisyFrame(rng, 5, bitDepth, [20, 10]));
      const mask = motionToMask(motion);
      let inside = 0;
      for (let y = 10; y < 16; y++) for (let x = 20; x < 26; x++) inside += mask[y * 64 + x]!;
      expect(inside).toBe(36);
      expect(motion.count - inside).toBeLessThan(5); // noise at 4 sigma: ~0.2 expected false pixels
      expect(motion.weights[0]).toBeGreaterThan(4);
    });
  }

  it('is deterministic and reports nothing on the first frame', () => {
    const a = new BackgroundModel(64, 48);
    const b = new BackgroundModel(64, 48);
    const r1 = new SeededRandom(9);
    const r2 = new SeededRandom(9);
    expect(a.update(noisyFrame(r1, 3, 8)).count).toBe(0);
    b.update(noisyFrame(r2, 3, 8));
    const ma = a.update(noisyFrame(r1, 3, 8, [5, 5]));
    const mb = b.update(noisyFrame(r2, 3, 8, [5, 5]));
    expect(Array.from(ma.indices.subarray(0, ma.count))).toEqual(
      Array.from(mb.indices.subarray(0, mb.count)),
    );
  });

  it('rejects a frame of another size', () => {
    const model = new BackgroundModel(4, 4);
    expect(() => model.update({ width: 5, height: 4, bitDepth: 8, data: new Uint8Array(20) })).toThrow(/5x4/);
  });
});
