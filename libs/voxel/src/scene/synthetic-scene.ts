import type { VoxelGridDescriptor } from '@voxelfleet/contracts';
import { hasDistortion, pixelToRay, type CameraModel } from '../camera/camera-model.js';
import { createGridDescriptor } from '../grid/grid-descriptor.js';
import { mat3Transpose, type Vec3 } from '../math/mat3.js';
import { SeededRandom } from '../math/random.js';
import type { GreyFrame } from '../motion/grey-frame.js';
import { createCameraRig, type CameraRigOptions } from './scene-cameras.js';
import {
  addClouds,
  createDistractors,
  frameDraws,
  illuminationGain,
  NO_EFFECTS,
  paintDistractors,
  type SceneEffects,
} from './scene-effects.js';
import {
  generateCrossingPair,
  generatePath,
  STANDARD_GRAVITY,
  type Box,
  type PathKind,
} from './target-paths.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;
const INF = 1 / 0;

export interface SceneOptions {
  seed: number;
  targets: number;
  frames: number;
  fps: number;
  /** Grid the scene lives in; targets stay `margin` voxels inside it. */
  gridDims: [number, number, number];
  voxelSize: number;
  /** Target sphere radius, metres (the largest when radiusRange is set). */
  targetRadius: number;
  /** Radii drawn uniformly from [min, max] metres per target (mixed sizes); null: all targetRadius. */
  radiusRange: [number, number] | null;
  /** Grey-level ranges cycled over the targets (mixed contrasts, darker than the background too). */
  brightnessRanges: [number, number][];
  /** Target speed, m/s. */
  speed: number;
  /** Path kinds, cycled over the targets; 'crossing' takes two targets at a time. */
  paths: PathKind[];
  rig: Omit<CameraRigOptions, 'centre'>;
  noiseSigma: number;
  bitDepth: 8 | 16;
  /**
   * Frames of empty background before the targets appear. 0 (the default) puts every target
   * in view in the first frame, as a real camera starting up would see it.
   */
  leadInFrames: number;
  /** Fraction of targets that stop (hover) now and then, once per 3 s of sequence. */
  stopFraction: number;
  /** How long a stop lasts, seconds [min, max]. */
  stopSeconds: [number, number];
  /** Fraction of targets that enter after the start and leave before the end. */
  enterLeaveFraction: number;
  /** Centripetal acceleration of 'manoeuvre' paths' turns, g. */
  turnG: number;
  /** Dynamic background, distractors, jitter. */
  effects: SceneEffects;
  /**
   * Targets lit from above: brightness falls by up to this fraction away from the light
   * (0: flat discs). Real targets are shaded or textured, so a moving one changes its pixels.
   */
  shading: number;
  /**
   * Paths (other than crossing pairs, which meet on purpose) are redrawn until their centres
   * stay this far apart from every other target's, metres; crowded boxes keep the best draw.
   */
  minSeparation: number;
}

export interface TargetTruth {
  targetId: number;
  position: Vec3;
  radius?: number;
}

export interface SyntheticScene {
  options: SceneOptions;
  grid: VoxelGridDescriptor;
  cameras: CameraModel[];
  /** Frame count including the lead-in. */
  totalFrames: number;
  timeOf(frame: number): number;
  /** Ground truth at a frame (empty during the lead-in). */
  truthAt(frame: number): TargetTruth[];
  renderFrame(frame: number, camera: number): GreyFrame;
}

export const DEFAULT_SCENE_OPTIONS: SceneOptions = {
  seed: 1,
  targets: 10,
  frames: 60,
  fps: 20,
  gridDims: [64, 64, 48],
  voxelSize: 0.1,
  targetRadius: 0.25,
  speed: 1,
  paths: ['line', 'helix', 'random-walk', 'crossing'],
  rig: {
    count: 8,
    layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
    resolutions: [[320, 240]],
    fovDegrees: 55,
    aimJitter: 0.3,
  },
  noiseSigma: 2,
  bitDepth: 8,
  leadInFrames: 4,
  minSeparation: 1,
  radiusRange: null,
  brightnessRanges: [[190, 235]],
  stopFraction: 0,
  stopSeconds: [0.5, 1],
  enterLeaveFraction: 0,
  turnG: 3,
  effects: NO_EFFECTS,
  shading: 0,
};

/**
 * A scene harder than the world: targets in view from the first frame, some stopping and
 * some entering and leaving, manoeuvres at 3 g, mixed sizes and contrasts (some darker than
 * the background), drifting clouds, an illumination ramp, one-camera distractors, ±1 px shake
 * and a few milliseconds of timestamp skew between cameras. Merge over it what a test varies.
 */
export const HARD_SCENE_OPTIONS: Partial<SceneOptions> = {
  leadInFrames: 0,
  paths: ['line', 'manoeuvre', 'random-walk', 'crossing', 'helix'],
  radiusRange: [0.15, 0.3],
  targetRadius: 0.3,
  brightnessRanges: [
    [180, 235],
    [5, 20],
    [150, 200],
  ],
  shading: 0.4,
  stopFraction: 0.25,
  stopSeconds: [0.4, 1],
  enterLeaveFraction: 0.2,
  turnG: 3,
  effects: {
    illuminationRamp: 0.25,
    cloudContrast: 20,
    cloudSpeed: 6,
    distractorsPerCamera: 2,
    cameraJitterPx: 1,
    timestampJitter: 0.002,
  },
};

const PATH_ATTEMPTS = 30;

function closestApproach(a: Float64Array, b: Float64Array): number {
  let best = INF;
  for (let i = 0; i < a.length; i += 3) {
    best = M.min(best, M.hypot(a[i]! - b[i]!, a[i + 1]! - b[i + 1]!, a[i + 2]! - b[i + 2]!));
  }
  return best;
}

const NOISE_TABLE_SIZE = 1 << 18;
/** Unit vector towards the light: above, a little to one side. */
const LIGHT: Vec3 = [0.3 / M.hypot(0.3, 0.2, 1), 0.2 / M.hypot(0.3, 0.2, 1), 1 / M.hypot(0.3, 0.2, 1)];

/** Smooth, camera-specific background texture (40..120 grey levels) so scenes are not flat. */
function backgroundTexture(camera: CameraModel, k: number): Float32Array {
  const { width, height } = camera;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      out[y * width + x] = 80 + 25 * M.sin(x * 0.045 + k) * M.cos(y * 0.06 - k) + 15 * M.sin((x + y) * 0.013);
    }
  }
  return out;
}

export function createSyntheticScene(partial: Partial<SceneOptions> = {}): SyntheticScene {
  const options: SceneOptions = { ...DEFAULT_SCENE_OPTIONS, ...partial };
  const rng = new SeededRandom(options.seed);
  const [nx, ny, nz] = options.gridDims;
  const s = options.voxelSize;
  const grid = createGridDescriptor([(-nx * s) / 2, (-ny * s) / 2, 0], options.gridDims, s);
  const centre: Vec3 = [0, 0, (nz * s) / 2];
  const margin = options.targetRadius + 2 * s;
  const box: Box = {
    min: [grid.origin[0] + margin, grid.origin[1] + margin, margin],
    max: [-grid.origin[0] - margin, -grid.origin[1] - margin, nz * s - margin],
  };
  const cameras = createCameraRig({ ...options.rig, centre }, rng);
  const paths: Float64Array[] = [];
  let kindIndex = 0;
  while (paths.length < options.targets) {
    const kind = options.paths[kindIndex++ % options.paths.length]!;
    const pair = kind === 'crossing';
    if (pair && options.targets - paths.length < 2) continue;
    let best: Float64Array[] = [];
    let bestApproach = -1;
    for (let attempt = 0; attempt < PATH_ATTEMPTS && bestApproach < options.minSeparation; attempt++) {
      const candidate = pair
        ? generateCrossingPair(rng, box, options.frames, options.fps, options.speed, options.targetRadius * 3)
        : [
            generatePath(
              kind,
              rng,
              box,
              options.frames,
              options.fps,
              options.speed,
              options.turnG * STANDARD_GRAVITY,
            ),
          ];
      let approach = INF;
      for (const c of candidate) for (const p of paths) approach = M.min(approach, closestApproach(c, p));
      if (approach > bestApproach) {
        best = candidate;
        bestApproach = approach;
      }
    }
    paths.push(...best);
  }
  const ranges = options.brightnessRanges;
  const brightness = paths.map((_, i) => rng.range(...ranges[i % ranges.length]!));
  const radii = paths.map(() =>
    options.radiusRange ? rng.range(options.radiusRange[0], options.radiusRange[1]) : options.targetRadius,
  );
  const warps = paths.map((_, i) => timeWarp(rng, options, i));
  const presence = paths.map(() => presenceOf(rng, options));
  const backgrounds = cameras.map((c, k) => backgroundTexture(c, k));
  // One table of Gaussian samples, read at a per-(frame, camera) offset and stride: cheap
  // sensor noise that is still deterministic for any frame rendered in any order.
  const noise = new Float32Array(NOISE_TABLE_SIZE);
  for (let i = 0; i < NOISE_TABLE_SIZE; i++) noise[i] = rng.gaussian();
  const totalFrames = options.frames + options.leadInFrames;
  const distractors = createDistractors(rng, cameras, totalFrames, options.effects);

  const positionOf = (target: number, frame: number): Vec3 | null => {
    const f = frame - options.leadInFrames;
    if (f < 0 || f >= options.frames) return null;
    const [from, to] = presence[target]!;
    if (f < from || f >= to) return null;
    const p = paths[target]!;
    const w = warps[target]![f]!;
    return [p[w * 3]!, p[w * 3 + 1]!, p[w * 3 + 2]!];
  };
  /** Position at a fractional frame (a camera's skewed exposure time), between whole frames. */
  const positionAt = (target: number, frame: number, offset: number): Vec3 | null => {
    const here = positionOf(target, frame);
    if (!here || offset === 0) return here;
    const there = positionOf(target, offset > 0 ? frame + 1 : frame - 1);
    if (!there) return here;
    const a = M.abs(offset);
    return [
      here[0] + a * (there[0] - here[0]),
      here[1] + a * (there[1] - here[1]),
      here[2] + a * (there[2] - here[2]),
    ];
  };

  const renderFrame = (frame: number, k: number): GreyFrame => {
    const camera = cameras[k]!;
    const { width, height } = camera;
    const { fx, fy, cx, cy } = camera.intrinsics;
    const value = Float32Array.from(backgrounds[k]!);
    const draws = frameDraws(options.seed, frame, k, options.effects);
    addClouds(value, camera, k, frame / options.fps, options.effects);
    const rt = mat3Transpose(camera.rotation);
    const distorted = hasDistortion(camera);
    const shading = options.shading;
    // Painter's order: far targets first, so nearer ones occlude them.
    const visible = paths
      .map((_, i) => ({ i, p: positionAt(i, frame, draws.dt * options.fps) }))
      .filter((e): e is { i: number; p: Vec3 } => e.p !== null)
      .map((e) => ({
        ...e,
        d: M.hypot(e.p[0] - camera.position[0], e.p[1] - camera.position[1], e.p[2] - camera.position[2]),
      }))
      .sort((a, b) => b.d - a.d);
    for (const { i, p, d } of visible) {
      const r = radii[i]!;
      if (d <= r) continue;
      const pc = camera.rotation;
      const rel: Vec3 = [p[0] - camera.position[0], p[1] - camera.position[1], p[2] - camera.position[2]];
      const zc = pc[6] * rel[0] + pc[7] * rel[1] + pc[8] * rel[2];
      if (zc <= r) continue;
      const uc = (fx * (pc[0] * rel[0] + pc[1] * rel[1] + pc[2] * rel[2])) / zc + cx;
      const vc = (fy * (pc[3] * rel[0] + pc[4] * rel[1] + pc[5] * rel[2])) / zc + cy;
      const reach = (M.max(fx, fy) * r) / M.sqrt(zc * zc - r * r) + 2;
      const spread = distorted ? 1.5 * reach + M.hypot(width, height) * 0.1 : reach * 1.2;
      const x0 = M.max(0, M.floor(uc - spread));
      const x1 = M.min(width - 1, M.ceil(uc + spread));
      const y0 = M.max(0, M.floor(vc - spread));
      const y1 = M.min(height - 1, M.ceil(vc + spread));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          let dir: Vec3;
          if (distorted) dir = pixelToRay(camera, x + 0.5, y + 0.5);
          else {
            const a = (x + 0.5 - cx) / fx;
            const b = (y + 0.5 - cy) / fy;
            dir = [
              rt[0] * a + rt[1] * b + rt[2],
              rt[3] * a + rt[4] * b + rt[5],
              rt[6] * a + rt[7] * b + rt[8],
            ];
          }
          // Ray-sphere test: distance from the centre to the ray below r.
          const dd = dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2];
          const proj = (rel[0] * dir[0] + rel[1] * dir[1] + rel[2] * dir[2]) / dd;
          if (proj <= 0) continue;
          const qx = rel[0] - proj * dir[0];
          const qy = rel[1] - proj * dir[1];
          const qz = rel[2] - proj * dir[2];
          const q2 = qx * qx + qy * qy + qz * qz;
          if (q2 >= r * r) continue;
          if (shading === 0) {
            value[y * width + x] = brightness[i]!;
            continue;
          }
          // Lit from above: the surface normal at the nearer hit, n·L in [-1, 1].
          const back = M.sqrt((r * r - q2) / dd);
          const nx = (proj - back) * dir[0] - rel[0];
          const ny = (proj - back) * dir[1] - rel[1];
          const nz = (proj - back) * dir[2] - rel[2];
          const lambert = (nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2]) / r;
          value[y * width + x] = brightness[i]! * (1 - (shading * (1 - lambert)) / 2);
        }
      }
    }
    paintDistractors(value, camera, k, frame, distractors);
    const gain = illuminationGain(frame, totalFrames, options.effects);
    const shifted = shiftImage(value, width, height, draws.dx, draws.dy);
    const frameRng = new SeededRandom((options.seed * 7919 + frame * 104729 + k * 1299709) >>> 0);
    const offset = frameRng.int(0, NOISE_TABLE_SIZE);
    const stride = 2 * frameRng.int(1, 5000) + 1;
    const scale = options.bitDepth === 16 ? 256 : 1;
    const max = options.bitDepth === 16 ? 65535 : 255;
    const data = options.bitDepth === 16 ? new Uint16Array(width * height) : new Uint8Array(width * height);
    const sigma = options.noiseSigma;
    for (let i = 0; i < data.length; i++) {
      const v = (gain * shifted[i]! + sigma * noise[(offset + i * stride) & (NOISE_TABLE_SIZE - 1)]!) * scale;
      data[i] = v < 0 ? 0 : v > max ? max : M.round(v);
    }
    return { width, height, bitDepth: options.bitDepth, data };
  };

  return {
    options,
    grid,
    cameras,
    totalFrames,
    timeOf: (frame) => frame / options.fps,
    truthAt: (frame) =>
      paths.flatMap((_, i) => {
        const p = positionOf(i, frame);
        return p ? [{ targetId: i, position: p, radius: radii[i]! }] : [];
      }),
    renderFrame,
  };
}

/** The image moved by (dx, dy) pixels, edges repeated: camera shake. */
function shiftImage(
  value: Float32Array,
  width: number,
  height: number,
  dx: number,
  dy: number,
): Float32Array {
  if (dx === 0 && dy === 0) return value;
  const out = new Float32Array(value.length);
  for (let y = 0; y < height; y++) {
    const sy = M.min(height - 1, M.max(0, y - dy));
    for (let x = 0; x < width; x++) {
      const sx = M.min(width - 1, M.max(0, x - dx));
      out[y * width + x] = value[sy * width + sx]!;
    }
  }
  return out;
}

/**
 * Frame → index into the target's path: the identity, except that a stopping target holds its
 * index during each stop (one per 3 s of sequence, at a random time), so it hovers and then
 * flies on along the same path.
 */
function timeWarp(rng: SeededRandom, options: SceneOptions, target: number): Int32Array {
  const warp = new Int32Array(options.frames);
  const stops =
    options.stopFraction > 0 && (target * 0.618034) % 1 < options.stopFraction
      ? M.max(1, M.floor(options.frames / options.fps / 3))
      : 0;
  const stopFrames = new Uint8Array(options.frames);
  for (let s = 0; s < stops; s++) {
    const length = M.round(rng.range(options.stopSeconds[0], options.stopSeconds[1]) * options.fps);
    const start = rng.int(M.floor(options.frames * 0.1), M.max(1, options.frames - length));
    for (let f = start; f < M.min(options.frames, start + length); f++) stopFrames[f] = 1;
  }
  let w = 0;
  for (let f = 0; f < options.frames; f++) {
    warp[f] = w;
    if (!stopFrames[f]) w++;
  }
  return warp;
}

/** [first, end) frames a target is in the scene: all of them, or a random middle stretch. */
function presenceOf(rng: SeededRandom, options: SceneOptions): [number, number] {
  // No draw when nothing enters or leaves: scenes without the option stay as they were.
  if (!(options.enterLeaveFraction > 0 && rng.next() < options.enterLeaveFraction))
    return [0, options.frames];
  const from = rng.int(0, M.max(1, M.floor(options.frames * 0.35)));
  const to = rng.int(M.ceil(options.frames * 0.65), options.frames + 1);
  return [from, M.max(to, from + 1)];
}
