import { describe, expect, it } from '@jest/globals';
import { createCamera, lookAtRotation, projectPoint } from '../camera/camera-model.js';
import { paintHoldMask } from './hold-mask.js';

const camera = createCamera({
  id: 'c0',
  width: 160,
  height: 120,
  intrinsics: { fx: 150, fy: 150, cx: 80, cy: 60 },
  position: [0, -10, 2],
  rotation: lookAtRotation([0, -10, 2], [0, 0, 2]),
});

const at = (mask: Uint8Array, p: [number, number] | null) =>
  p ? mask[Math.floor(p[1]) * camera.width + Math.floor(p[0])] : -1;

describe('hold mask', () => {
  it('marks an object flying along the line of sight, moved on to the frame time', () => {
    const mask = new Uint8Array(camera.width * camera.height);
    const object = {
      position: [0, 0, 2] as [number, number, number],
      velocity: [0, 1, 0] as [number, number, number],
      radius: 0.25,
      t: 0,
    };
    paintHoldMask(mask, camera, [object], 0.1, 0.1, 0.75);
    expect(at(mask, projectPoint(camera, [0, 0.1, 2]))).toBe(1);
    // Radius (0.25 + 0.1 + half of 0.1 m moved) at 10.1 m: about 6 px; nothing 12 px away.
    expect(at(mask, projectPoint(camera, [0.8, 0.1, 2]))).toBe(0);
  });

  it('leaves out an object crossing the view, which never holds a pixel steady for long', () => {
    const mask = new Uint8Array(camera.width * camera.height);
    const object = {
      position: [0, 0, 2] as [number, number, number],
      velocity: [3, 0, 0] as [number, number, number],
      radius: 0.25,
      t: 0,
    };
    paintHoldMask(mask, camera, [object], 0, 0.1, 0.75);
    expect(mask.some((v) => v !== 0)).toBe(false);
  });
});
