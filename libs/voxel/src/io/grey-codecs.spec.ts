import { describe, expect, it } from '@jest/globals';
import type { GreyFrame } from '../motion/grey-frame.js';
import { decodePgm, decodePng, decodeRawGrey, encodePgm, encodePng } from './grey-codecs.js';

const frame8: GreyFrame = {
  width: 5,
  height: 3,
  bitDepth: 8,
  data: Uint8Array.from({ length: 15 }, (_, i) => i * 17),
};
const frame16: GreyFrame = {
  width: 4,
  height: 2,
  bitDepth: 16,
  data: Uint16Array.from([0, 1, 255, 256, 1000, 40000, 65535, 7]),
};

describe('grey frame codecs', () => {
  it('round-trips 8- and 16-bit PGM and PNG', () => {
    for (const f of [frame8, frame16]) {
      for (const [enc, dec] of [
        [encodePgm, decodePgm],
        [encodePng, decodePng],
      ] as const) {
        const back = dec(enc(f));
        expect(back.bitDepth).toBe(f.bitDepth);
        expect([back.width, back.height]).toEqual([f.width, f.height]);
        expect(Array.from(back.data)).toEqual(Array.from(f.data));
      }
    }
  });

  it('reads PGM comments and rejects truncated rasters', () => {
    const bytes = new TextEncoder().encode('P5\n# made by a test\n2 1\n255\n\u0001\u0002');
    expect(Array.from(decodePgm(bytes).data)).toEqual([1, 2]);
    expect(() => decodePgm(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });

  it('reads raw 16-bit samples in either byte order', () => {
    const bytes = Uint8Array.from([1, 2, 3, 4]);
    expect(Array.from(decodeRawGrey(bytes, 2, 1, 16, true).data)).toEqual([0x0201, 0x0403]);
    expect(Array.from(decodeRawGrey(bytes, 2, 1, 16, false).data)).toEqual([0x0102, 0x0304]);
    expect(() => decodeRawGrey(bytes, 3, 1, 16)).toThrow(/bytes/);
  });
});
