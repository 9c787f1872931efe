import { describe, expect, it } from '@jest/globals';
import { TrailRing } from './trail-ring.js';

const points = (ring: TrailRing) =>
  Array.from({ length: ring.length }, (_, i) => [...ring.pointAt(i, [0, 0, 0])]);

describe('TrailRing', () => {
  it('keeps the last capacity points, oldest first', () => {
    const ring = new TrailRing(3);
    expect(ring.length).toBe(0);
    ring.push(1, 0, 0);
    ring.push(2, 0, 0);
    expect(points(ring)).toEqual([
      [1, 0, 0],
      [2, 0, 0],
    ]);
    ring.push(3, 0, 0);
    ring.push(4, 5, 6);
    expect(points(ring)).toEqual([
      [2, 0, 0],
      [3, 0, 0],
      [4, 5, 6],
    ]);
    expect(() => ring.pointAt(3, [0, 0, 0])).toThrow(RangeError);
  });

  it('writes line segments in order into a shared buffer', () => {
    const ring = new TrailRing(4);
    for (let i = 0; i < 6; i++) ring.push(i, i * 10, 0);
    const buffer = new Float32Array(2 + 3 * 6);
    expect(ring.writeSegments(buffer, 2)).toBe(3);
    expect([...buffer.subarray(2)]).toEqual([2, 20, 0, 3, 30, 0, 3, 30, 0, 4, 40, 0, 4, 40, 0, 5, 50, 0]);
    expect(new TrailRing(2).writeSegments(buffer, 0)).toBe(0);
  });

  it('clears and refuses a bad capacity', () => {
    const ring = new TrailRing(2);
    ring.push(1, 1, 1);
    ring.clear();
    expect(ring.length).toBe(0);
    expect(() => new TrailRing(0)).toThrow(RangeError);
    expect(() => new TrailRing(1.5)).toThrow(RangeError);
  });
});
