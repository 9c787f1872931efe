import { describe, expect, it } from '@jest/globals';
import {
  computeEvidence,
  evidenceJobInputs,
  evidenceResultOf,
  randomEvidenceRequest,
} from '@voxelfleet/voxel';
import { decodeInputs } from './decode-inputs.js';
import { encodeResult } from './kernel-call.js';

const LIMITS = { maxInputBytes: 64 * 2 ** 20, maxOutputBytes: 64 * 2 ** 20 };

/** The tracker encodes evidence jobs with libs/voxel; this node decodes them. Both must agree. */
describe('voxel.evidence on the wire', () => {
  // Seeds whose requests yield evidence voxels (an empty result would round-trip trivially).
  it.each([2, 5, 14, 16, 28])(
    'decodes what the tracker sends and returns what it reads (seed %i)',
    (seed) => {
      const req = randomEvidenceRequest(seed);
      const call = decodeInputs('voxel.evidence', evidenceJobInputs(req), LIMITS);
      if (call.kernel !== 'voxel.evidence') throw new Error('wrong kernel');
      expect(call.req.grid).toEqual({ ...req.grid });
      expect(call.req.minCameras).toBe(req.minCameras);
      expect(call.req.maxVoxels).toBe(req.maxVoxels);
      call.req.cameras.forEach((c, k) => {
        expect(c.mask.map((v) => (v ? 1 : 0))).toEqual(req.cameras[k]!.mask.map((v) => (v ? 1 : 0)));
        expect([...c.projection]).toEqual([...req.cameras[k]!.projection]);
      });
      const result = computeEvidence(call.req);
      const back = evidenceResultOf(encodeResult({ kernel: 'voxel.evidence', result }));
      const reference = computeEvidence(req);
      expect(reference.indices.length).toBeGreaterThan(0);
      expect(back).toEqual(reference);
    },
  );

  it('sends sparse motion as pixel lists and dense motion as masks', () => {
    const req = randomEvidenceRequest(7);
    const sparse = { ...req, cameras: req.cameras.map((c) => ({ ...c, mask: onePixel(c.mask.length) })) };
    expect(evidenceJobInputs(sparse)).toHaveProperty('pixels');
    const dense = {
      ...req,
      cameras: req.cameras.map((c) => ({ ...c, mask: new Uint8Array(c.mask.length).fill(1) })),
    };
    expect(evidenceJobInputs(dense)).toHaveProperty('masks');
    expect(evidenceJobInputs(dense)).not.toHaveProperty('pixels');
  });

  it('refuses a malformed output instead of tracking garbage', () => {
    expect(() => evidenceResultOf(null)).toThrow(/not an object/);
    expect(() => evidenceResultOf({ indices: [1, 2], masks: [3] })).toThrow(/2 indices but 1 masks/);
    expect(() => evidenceResultOf({ indices: { dtype: 'f32', base64: '' }, masks: [] })).toThrow(/u32/);
  });
});

function onePixel(size: number): Uint8Array {
  const mask = new Uint8Array(size);
  mask[Math.floor(size / 2)] = 1;
  return mask;
}
