import type { EvidenceCamera, EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';
import { createCamera, lookAtRotation, projectionMatrix } from '../camera/camera-model.js';
import { createGridDescriptor } from '../grid/grid-descriptor.js';
import type { Vec3 } from '../math/mat3.js';
import { SeededRandom } from '../math/random.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/**
 * Fixtures for checking evidence implementations (this CPU path, the worker pool, the CUDA
 * addon) against the contract: a literal one-voxel-at-a-time reference and random requests.
 */
/** The contract's method written out literally, one voxel at a time. */
export function referenceEvidence(req: EvidenceRequest): EvidenceResult {
  const [nx, ny, nz] = req.grid.dims;
  const indices: number[] = [];
  const masks: number[] = [];
  let truncated = false;
  for (let iz = 0; iz < nz; iz++) {
    for (let iy = 0; iy < ny; iy++) {
      for (let ix = 0; ix < nx; ix++) {
        const X = req.grid.origin[0] + (ix + 0.5) * req.grid.voxelSize;
        const Y = req.grid.origin[1] + (iy + 0.5) * req.grid.voxelSize;
        const Z = req.grid.origin[2] + (iz + 0.5) * req.grid.voxelSize;
        let bits = 0;
        req.cameras.forEach((c, k) => {
          const P = c.projection;
          const u = P[0]! * X + P[1]! * Y + P[2]! * Z + P[3]!;
          const v = P[4]! * X + P[5]! * Y + P[6]! * Z + P[7]!;
          const w = P[8]! * X + P[9]! * Y + P[10]! * Z + P[11]!;
          if (!(w > 0)) return;
          const px = M.floor(u / w);
          const py = M.floor(v / w);
          if (px >= 0 && px < c.width && py >= 0 && py < c.height && c.mask[py * c.width + px] !== 0)
            bits |= 1 << k;
        });
        let pop = 0;
        for (let k = 0; k < 32; k++) pop += (bits >>> k) & 1;
        if (pop >= req.minCameras) {
          if (indices.length === req.maxVoxels) {
            truncated = true;
            return { indices: Uint32Array.from(indices), masks: Uint32Array.from(masks), truncated };
          }
          indices.push(ix + nx * (iy + ny * iz));
          masks.push(bits >>> 0);
        }
      }
    }
  }
  return { indices: Uint32Array.from(indices), masks: Uint32Array.from(masks), truncated };
}

/** Random cameras around (and sometimes inside) the grid, masks with blobs, speckle and full rows. */
export function randomEvidenceRequest(seed: number): EvidenceRequest {
  const rng = new SeededRandom(seed);
  const dims: [number, number, number] = [rng.int(5, 30), rng.int(5, 30), rng.int(5, 30)];
  const grid = createGridDescriptor(
    [rng.range(-2, 0), rng.range(-2, 0), rng.range(-1, 0)],
    dims,
    rng.range(0.05, 0.2),
  );
  const centre: Vec3 = [0, 1, 2].map((a) => grid.origin[a]! + (dims[a]! * grid.voxelSize) / 2) as Vec3;
  const cameraCount = rng.int(1, 9);
  const cameras: EvidenceCamera[] = [];
  for (let k = 0; k < cameraCount; k++) {
    const inside = rng.next() < 0.2;
    const angle = rng.range(0, 2 * M.PI);
    const radius = inside ? 0.3 : rng.range(3, 8);
    const position: Vec3 = [
      centre[0] + radius * M.cos(angle),
      centre[1] + radius * M.sin(angle),
      centre[2] + rng.range(-1, 3),
    ];
    const width = rng.int(16, 120);
    const height = rng.int(16, 90);
    const f = rng.range(0.5, 1.5) * width;
    const cam = createCamera({
      id: String(k),
      width,
      height,
      intrinsics: {
        fx: f,
        fy: f * rng.range(0.9, 1.1),
        cx: width / 2 + rng.range(-3, 3),
        cy: height / 2 + rng.range(-3, 3),
      },
      position,
      rotation: lookAtRotation(position, [
        centre[0] + rng.range(-1, 1),
        centre[1] + rng.range(-1, 1),
        centre[2],
      ]),
    });
    const mask = new Uint8Array(width * height);
    for (let b = 0; b < rng.int(0, 4); b++) {
      const bx = rng.int(0, width);
      const by = rng.int(0, height);
      const r = rng.int(1, 10);
      for (let y = M.max(0, by - r); y < M.min(height, by + r); y++) {
        for (let x = M.max(0, bx - r); x < M.min(width, bx + r); x++) mask[y * width + x] = 255;
      }
    }
    for (let s = 0; s < rng.int(0, 30); s++) mask[rng.int(0, width * height)] = 1;
    if (rng.next() < 0.1) mask.fill(1, 0, width * 2);
    cameras.push({ projection: projectionMatrix(cam), width, height, mask });
  }
  return {
    grid,
    cameras,
    minCameras: rng.int(1, cameraCount + 1),
    maxVoxels: rng.next() < 0.2 ? rng.int(0, 50) : 1e9,
  };
}
