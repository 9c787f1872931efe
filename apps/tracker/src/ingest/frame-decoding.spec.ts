import { describe, expect, it } from '@jest/globals';
import { createCamera, encodePgm, encodePng, type CameraModel } from '@voxelfleet/voxel';
import { decodeCameraImage, FrameInputError, motionFromJson } from './frame-decoding.js';

const camera: CameraModel = createCamera({
  id: 'c0',
  width: 8,
  height: 6,
  intrinsics: { fx: 10, fy: 10, cx: 4, cy: 3 },
  position: [0, 0, 0],
  quaternion: [1, 0, 0, 0],
});

function frame(width = 8, height = 6) {
  const data = new Uint8Array(width * height).map((_, i) => i % 251);
  return { width, height, bitDepth: 8 as const, data };
}

describe('decodeCameraImage', () => {
  it('reads PNG, PGM and raw frames of the camera size', () => {
    for (const bytes of [encodePng(frame()), encodePgm(frame()), frame().data]) {
      expect(Array.from(decodeCameraImage(bytes, camera).data)).toEqual(Array.from(frame().data));
    }
    const raw16 = new Uint8Array(8 * 6 * 2);
    raw16[0] = 0x34;
    raw16[1] = 0x12;
    expect(decodeCameraImage(raw16, camera)).toMatchObject({ bitDepth: 16 });
    expect(decodeCameraImage(raw16, camera).data[0]).toBe(0x1234);
  });

  it('refuses a PNG of another size before inflating it', () => {
    expect(() => decodeCameraImage(encodePng(frame(16, 12)), camera)).toThrow(/16x12, the camera 8x6/);
  });

  it('refuses corrupt PNG and PGM and raw bytes of the wrong length', () => {
    const png = encodePng(frame());
    expect(() => decodeCameraImage(png.subarray(0, 40), camera)).toThrow(FrameInputError);
    expect(() => decodeCameraImage(new TextEncoder().encode('P5\n8 6\n255\nabc'), camera)).toThrow(
      /corrupt PGM/,
    );
    expect(() => decodeCameraImage(new Uint8Array(47), camera)).toThrow(/not a PNG/);
    expect(() => decodeCameraImage(encodePgm(frame(4, 3)), camera)).toThrow(/4x3/);
  });
});

describe('motionFromJson', () => {
  it('builds motion pixels with unit weights by default', () => {
    const motion = motionFromJson({ indices: [0, 5, 47] }, camera, 0);
    expect(motion).toMatchObject({ width: 8, height: 6, count: 3 });
    expect(Array.from(motion!.weights)).toEqual([1, 1, 1]);
    expect(motionFromJson(null, camera, 0)).toBeNull();
  });

  it('names the bad field', () => {
    expect(() => motionFromJson({ indices: [48] }, camera, 2)).toThrow(/cameras\[2\]\.indices\[0\]/);
    expect(() => motionFromJson({ indices: [1.5] }, camera, 0)).toThrow(/indices\[0\]/);
    expect(() => motionFromJson({ indices: [1], weights: [1, 2] }, camera, 0)).toThrow(/weights/);
    expect(() => motionFromJson({ pixels: [] }, camera, 1)).toThrow(/cameras\[1\]/);
  });
});
