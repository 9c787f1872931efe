import { describe, expect, it } from '@jest/globals';
import type { GreyFrame } from './grey-frame.js';
import { RobustBackgroundModel } from './robust-background-model.js';

const W = 40;
const H = 30;
const FPS = 20;

/** A textured background with, optionally, a bright 8x8 square at (16, 11). */
function frame(square: boolean): GreyFrame {
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inside = square && x >= 16 && x < 24 && y >= 11 && y < 19;
      data[y * W + x] = inside ? 210 : 60 + ((x * 7 + y * 3) % 40);
    }
  }
  return { width: W, height: H, bitDepth: 8, data };
}

/** Hold mask over the square (and a pixel around it). */
function squareHold(): Uint8Array {
  const hold = new Uint8Array(W * H);
  for (let y = 10; y < 20; y++) for (let x = 15; x < 25; x++) hold[y * W + x] = 1;
  return hold;
}

const centre = 15 * W + 20;

function isForeground(model: RobustBackgroundModel, f: GreyFrame, t: number, hold?: Uint8Array): boolean {
  const m = model.update(f, t, hold);
  return Array.from(m.indices.subarray(0, m.count)).includes(centre);
}

describe('robust background model: holding pixels under moving objects', () => {
  it('absorbs steady foreground after absorbSeconds, but not where a moving object is held over verified background', () => {
    const free = new RobustBackgroundModel(W, H, { fps: FPS, absorbSeconds: 1.5 });
    const held = new RobustBackgroundModel(W, H, { fps: FPS, absorbSeconds: 1.5 });
    const hold = squareHold();
    let t = 0;
    // Background alone first: the model is verified there.
    for (let i = 0; i < 5; i++, t += 1 / FPS) {
      free.update(frame(false), t);
      held.update(frame(false), t, hold);
    }
    // An object flying along the line of sight covers the same pixels with the same value for 3 s.
    let freeSeenAt3s = true;
    let heldSeenAt3s = true;
    for (let i = 0; i < 3 * FPS; i++, t += 1 / FPS) {
      freeSeenAt3s = isForeground(free, frame(true), t);
      heldSeenAt3s = isForeground(held, frame(true), t, hold);
    }
    expect(freeSeenAt3s).toBe(false);
    expect(heldSeenAt3s).toBe(true);
  });

  it('does not report the ghost of a first-frame object, and reports an object arriving later', () => {
    const model = new RobustBackgroundModel(W, H, { fps: FPS, absorbSeconds: 1.5 });
    const hold = squareHold();
    model.update(frame(true), 0, hold); // the object is in the first frame, then leaves
    let ghostReported = 0;
    let t = 0;
    for (let i = 1; i < 2 * FPS; i++) {
      t = i / FPS;
      if (isForeground(model, frame(false), t, hold)) ghostReported++;
    }
    expect(ghostReported).toBe(0);
    // Absorbed into the background (within absorbSeconds) and verified since: an object there now is motion.
    expect(isForeground(model, frame(true), t + 1 / FPS)).toBe(true);

    const fresh = new RobustBackgroundModel(W, H, { fps: FPS });
    fresh.update(frame(false), 0);
    fresh.update(frame(false), 1 / FPS); // matched: verified background
    expect(isForeground(fresh, frame(true), 2 / FPS)).toBe(true);
  });

  it('refuses a hold mask of the wrong size', () => {
    const model = new RobustBackgroundModel(W, H);
    expect(() => model.update(frame(false), 0, new Uint8Array(3))).toThrow(RangeError);
  });
});
