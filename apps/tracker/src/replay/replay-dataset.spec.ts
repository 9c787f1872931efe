import { describe, expect, it } from '@jest/globals';
import type { UploadedImage } from '../ingest/uploaded-file.js';
import { replayDataset } from './replay-dataset.js';
import { replayOptions } from './replay.dto.js';

const entry = (camera: number, frame: number) => ({
  camera_index: camera,
  frame_index: frame,
  camera_position: [0, 0, 5],
  yaw: 0,
  pitch: 0,
  roll: 0,
  fov_degrees: 60,
  image_file: `cam${camera}/frame_${frame}.png`,
});

const file = (name: string): UploadedImage => ({
  fieldname: name,
  originalname: 'x.png',
  size: 1,
  buffer: Buffer.from([1]),
});
const bytes = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));

describe('replayDataset', () => {
  it('orders frames and puts each image in its camera slot', () => {
    const metadata = [entry(1, 1), entry(0, 1), entry(1, 0), entry(0, 0)];
    const files = metadata.map((e) => file(e.image_file));
    const frames = replayDataset(bytes(metadata), files, 2);
    expect(frames.map((f) => f.frameIndex)).toEqual([0, 1]);
    expect(frames[1]!.images.map((i) => i.fieldname)).toEqual(['cam0/frame_1.png', 'cam1/frame_1.png']);
  });

  it('refuses missing images, missing cameras, unknown cameras and bad metadata', () => {
    expect(() => replayDataset(bytes([entry(0, 0)]), [], 1)).toThrow(/cam0\/frame_0.png/);
    expect(() => replayDataset(bytes([entry(0, 0)]), [file('cam0/frame_0.png')], 2)).toThrow(
      /no entry for camera 1/,
    );
    expect(() => replayDataset(bytes([entry(3, 0)]), [file('cam3/frame_0.png')], 2)).toThrow(
      /camera_index 3/,
    );
    expect(() => replayDataset(bytes({ not: 'an array' }), [], 1)).toThrow(/metadata/);
    expect(() => replayDataset(new TextEncoder().encode('{'), [], 1)).toThrow(/metadata/);
  });
});

describe('replayOptions', () => {
  it('defaults to max speed and checks speed and fps', () => {
    expect(replayOptions({})).toEqual({ speed: 'max' });
    expect(replayOptions({ speed: 'real', fps: '30' })).toEqual({ speed: 'real', fps: 30 });
    expect(() => replayOptions({ speed: 'fast' })).toThrow(/speed/);
    expect(() => replayOptions({ fps: '0' })).toThrow(/fps/);
    expect(() => replayOptions({ loop: 'yes' })).toThrow(/loop: unknown field/);
  });
});
