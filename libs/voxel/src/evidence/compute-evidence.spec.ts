import { describe, expect, it } from '@jest/globals';
import { createCamera, projectionMatrix } from '../camera/camera-model.js';
import { createGridDescriptor } from '../grid/grid-descriptor.js';
import { computeEvidence, computeEvidenceWithOccupancy } from './compute-evidence.js';
import { buildOccupancyFromPixels } from './mask-occupancy.js';
import { randomEvidenceRequest, referenceEvidence } from './evidence-fixtures.js';

describe('computeEvidence (CPU path of the voxel-evidence contract)', () => {
  it('matches the literal per-voxel method bit for bit on random scenes', () => {
    let nonEmpty = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const req = randomEvidenceRequest(seed);
      const expected = referenceEvidence(req);
      const actual = computeEvidence(req);
      expect(actual.truncated).toBe(expected.truncated);
      expect(Array.from(actual.indices)).toEqual(Array.from(expected.indices));
      expect(Array.from(actual.masks)).toEqual(Array.from(expected.masks));
      if (expected.indices.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(30); // the comparison exercised real evidence, not empty sets
  });

  it('gives the same result with occupancy built from changed-pixel lists', () => {
    for (let seed = 300; seed < 330; seed++) {
      const req = randomEvidenceRequest(seed);
      const occupancy = req.cameras.map((c) => {
        const pixels = Uint32Array.from(c.mask.keys()).filter((i) => c.mask[i] !== 0);
        return buildOccupancyFromPixels([pixels], c.width, c.height);
      });
      const expected = computeEvidence(req);
      const actual = computeEvidenceWithOccupancy(req, occupancy);
      expect(Array.from(actual.indices)).toEqual(Array.from(expected.indices));
      expect(Array.from(actual.masks)).toEqual(Array.from(expected.masks));
    }
  });

  it('reports a voxel that one camera alone sees only when minCameras allows it', () => {
    const grid = createGridDescriptor([0, 0, 0], [4, 4, 4], 1);
    // A camera at +z looking down: every voxel column projects to a distinct mask pixel.
    const cam = createCamera({
      id: 'top',
      width: 4,
      height: 4,
      intrinsics: { fx: 2, fy: 2, cx: 2, cy: 2 },
      position: [2, 2, 100],
      rotation: [1, 0, 0, 0, -1, 0, 0, 0, -1],
    });
    const mask = new Uint8Array(16).fill(1);
    const one = { projection: projectionMatrix(cam), width: 4, height: 4, mask };
    expect(
      computeEvidence({ grid, cameras: [one], minCameras: 1, maxVoxels: 1000 }).indices.length,
    ).toBeGreaterThan(0);
    const empty = { ...one, mask: new Uint8Array(16) };
    expect(
      computeEvidence({ grid, cameras: [one, empty], minCameras: 2, maxVoxels: 1000 }).indices.length,
    ).toBe(0);
  });

  it('validates the request', () => {
    const grid = createGridDescriptor([0, 0, 0], [2, 2, 2], 1);
    const cam = { projection: new Float64Array(12), width: 2, height: 2, mask: new Uint8Array(3) };
    expect(() => computeEvidence({ grid, cameras: [cam], minCameras: 1, maxVoxels: 1 })).toThrow(/mask/);
    expect(() => computeEvidence({ grid, cameras: [], minCameras: 0, maxVoxels: 1 })).toThrow(/minCameras/);
  });
});
