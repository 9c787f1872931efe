/**
 * Deterministic random inputs for the kernel tests (CPU in CI, CUDA on a GPU machine):
 * a seeded generator and a small multi-camera scene for voxel.evidence.
 */
import type { EvidenceCamera, EvidenceRequest } from '@voxelfleet/contracts';

export type Rng = () => number;

/** mulberry32: fast, seedable, good enough for test data. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomF32(r: Rng, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

type Vec3 = [number, number, number];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: Vec3): Vec3 => {
  const l = Math.hypot(...a);
  return [a[0] / l, a[1] / l, a[2] / l];
};

/** P = K [R | -R C] for a pinhole camera at `eye` looking at `target` (v grows downwards). */
export function lookAtProjection(
  eye: Vec3,
  target: Vec3,
  f: number,
  width: number,
  height: number,
): Float64Array {
  const fwd = norm(sub(target, eye));
  const right = norm(cross(fwd, [0, 0, 1]));
  const down = cross(fwd, right);
  const rows = [right, down, fwd];
  const t = rows.map((r) => -dot(r, eye));
  const K = [
    [f, 0, width / 2],
    [0, f, height / 2],
    [0, 0, 1],
  ];
  const P = new Float64Array(12);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      P[i * 4 + j] = K[i]![0]! * rows[0]![j]! + K[i]![1]! * rows[1]![j]! + K[i]![2]! * rows[2]![j]!;
    }
    P[i * 4 + 3] = K[i]![0]! * t[0]! + K[i]![1]! * t[1]! + K[i]![2]! * t[2]!;
  }
  return P;
}

export function project(P: Float64Array, p: Vec3): [number, number, number] {
  const w = P[8]! * p[0] + P[9]! * p[1] + P[10]! * p[2] + P[11]!;
  const u = P[0]! * p[0] + P[1]! * p[1] + P[2]! * p[2] + P[3]!;
  const v = P[4]! * p[0] + P[5]! * p[1] + P[6]! * p[2] + P[7]!;
  return [u / w, v / w, w];
}

export interface SceneOptions {
  dims: [number, number, number];
  cameras: number;
  targets: number;
  width: number;
  height: number;
  /** Fraction of mask pixels set at random (sensor noise that survived thresholding). */
  noise: number;
  minCameras: number;
  maxVoxels: number;
}

/**
 * Cameras on a ring around a grid, each mask lit in a disk around every target's
 * projection plus random noise pixels. Returns the request and the targets.
 */
export function randomScene(r: Rng, o: SceneOptions): { req: EvidenceRequest; targets: Vec3[] } {
  const voxelSize = 0.1;
  const origin: Vec3 = [-1 + r() * 0.01, -1.5 + r() * 0.01, -0.5 + r() * 0.01];
  const extent: Vec3 = [o.dims[0] * voxelSize, o.dims[1] * voxelSize, o.dims[2] * voxelSize];
  const centre: Vec3 = [origin[0] + extent[0] / 2, origin[1] + extent[1] / 2, origin[2] + extent[2] / 2];
  const targets: Vec3[] = Array.from({ length: o.targets }, () => [
    origin[0] + extent[0] * (0.15 + 0.7 * r()),
    origin[1] + extent[1] * (0.15 + 0.7 * r()),
    origin[2] + extent[2] * (0.15 + 0.7 * r()),
  ]);
  const radius = 3 * Math.max(...extent);
  const cameras: EvidenceCamera[] = [];
  for (let c = 0; c < o.cameras; c++) {
    const a = (2 * Math.PI * c) / o.cameras + 0.3 * r();
    const eye: Vec3 = [
      centre[0] + radius * Math.cos(a),
      centre[1] + radius * Math.sin(a),
      centre[2] + 0.5 * radius * (r() - 0.3),
    ];
    const projection = lookAtProjection(eye, centre, 0.9 * o.width, o.width, o.height);
    const mask = new Uint8Array(o.width * o.height);
    for (let i = 0; i < mask.length; i++) if (r() < o.noise) mask[i] = 1;
    for (const t of targets) {
      const [u, v, w] = project(projection, t);
      if (w <= 0) continue;
      const rad = Math.max(2, (0.9 * o.width * 0.12) / w);
      for (let y = Math.floor(v - rad); y <= v + rad; y++) {
        for (let x = Math.floor(u - rad); x <= u + rad; x++) {
          if (x >= 0 && y >= 0 && x < o.width && y < o.height && (x - u) ** 2 + (y - v) ** 2 <= rad * rad) {
            mask[y * o.width + x] = 255;
          }
        }
      }
    }
    cameras.push({ projection, width: o.width, height: o.height, mask });
  }
  return {
    req: {
      grid: { origin, dims: o.dims, voxelSize, axisOrder: 'xyz', dtype: 'u32-camera-mask', version: 1 },
      cameras,
      minCameras: o.minCameras,
      maxVoxels: o.maxVoxels,
    },
    targets,
  };
}
