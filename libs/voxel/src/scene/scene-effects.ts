import type { CameraModel } from '../camera/camera-model.js';
import { SeededRandom } from '../math/random.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/** What makes a scene harder than a static set: all off when zero. */
export interface SceneEffects {
  /** Brightness gain ramps linearly from 1 to 1 + illuminationRamp over the sequence (e.g. 0.3). */
  illuminationRamp: number;
  /** Contrast of drifting cloud texture, grey levels (0: none). */
  cloudContrast: number;
  /** Cloud drift, pixels per second. */
  cloudSpeed: number;
  /** Small blobs (birds, reflections) crossing one camera's image, per camera. */
  distractorsPerCamera: number;
  /** Whole-image shift per frame and camera, up to this many pixels each way (camera shake). */
  cameraJitterPx: number;
  /** Each camera's exposure is off its frame's nominal time by up to this, seconds. */
  timestampJitter: number;
}

export const NO_EFFECTS: SceneEffects = {
  illuminationRamp: 0,
  cloudContrast: 0,
  cloudSpeed: 0,
  distractorsPerCamera: 0,
  cameraJitterPx: 0,
  timestampJitter: 0,
};

/** A blob in one camera's image moving on a straight line for part of the sequence. */
interface Distractor {
  camera: number;
  from: number;
  to: number;
  x0: number;
  y0: number;
  vx: number;
  vy: number;
  radius: number;
  brightness: number;
}

/** Per-(frame, camera) draws that must not depend on the order frames are rendered in. */
export function frameDraws(
  seed: number,
  frame: number,
  camera: number,
  effects: SceneEffects,
): { dx: number; dy: number; dt: number } {
  const rng = new SeededRandom((seed * 2654435761 + frame * 40503 + camera * 9176 + 17) >>> 0);
  const j = effects.cameraJitterPx;
  return {
    dx: j > 0 ? rng.int(-j, j + 1) : 0,
    dy: j > 0 ? rng.int(-j, j + 1) : 0,
    dt: effects.timestampJitter > 0 ? rng.range(-effects.timestampJitter, effects.timestampJitter) : 0,
  };
}

export function createDistractors(
  rng: SeededRandom,
  cameras: CameraModel[],
  totalFrames: number,
  effects: SceneEffects,
): Distractor[] {
  const out: Distractor[] = [];
  cameras.forEach((c, k) => {
    for (let i = 0; i < effects.distractorsPerCamera; i++) {
      const length = M.max(3, M.round(totalFrames * rng.range(0.2, 0.6)));
      const from = rng.int(0, M.max(1, totalFrames - length));
      const speed = rng.range(0.01, 0.04) * c.width; // pixels per frame
      const angle = rng.range(0, 2 * M.PI);
      out.push({
        camera: k,
        from,
        to: from + length,
        x0: rng.range(0.1, 0.9) * c.width,
        y0: rng.range(0.1, 0.9) * c.height,
        vx: speed * M.cos(angle),
        vy: speed * M.sin(angle),
        radius: rng.range(1.5, 4),
        brightness: rng.next() < 0.5 ? rng.range(10, 25) : rng.range(200, 240),
      });
    }
  });
  return out;
}

/** Paints the distractors of camera k at a frame into `value`. */
export function paintDistractors(
  value: Float32Array,
  camera: CameraModel,
  k: number,
  frame: number,
  distractors: Distractor[],
): void {
  const { width, height } = camera;
  for (const d of distractors) {
    if (d.camera !== k || frame < d.from || frame >= d.to) continue;
    const cx = d.x0 + d.vx * (frame - d.from);
    const cy = d.y0 + d.vy * (frame - d.from);
    const r2 = d.radius * d.radius;
    for (let y = M.max(0, M.floor(cy - d.radius)); y <= M.min(height - 1, M.ceil(cy + d.radius)); y++) {
      for (let x = M.max(0, M.floor(cx - d.radius)); x <= M.min(width - 1, M.ceil(cx + d.radius)); x++) {
        if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 < r2) value[y * width + x] = d.brightness;
      }
    }
  }
}

/** Adds camera k's drifting cloud texture at time t (seconds) to `value`. */
export function addClouds(
  value: Float32Array,
  camera: CameraModel,
  k: number,
  t: number,
  effects: SceneEffects,
): void {
  if (effects.cloudContrast <= 0) return;
  const { width, height } = camera;
  const shift = effects.cloudSpeed * t;
  const c = effects.cloudContrast / 2;
  // Separable: a product of a drifting row term and a column term, large soft blobs.
  const row = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const u = x - shift;
    row[x] = M.sin(u * 0.021 + k * 1.3) + 0.5 * M.sin(u * 0.047 + k);
  }
  for (let y = 0; y < height; y++) {
    const col = c * (0.6 + 0.4 * M.cos(y * 0.031 + k * 0.7));
    const base = y * width;
    for (let x = 0; x < width; x++) value[base + x]! += col * row[x]!;
  }
}

/** Illumination gain at frame f of a sequence of n frames. */
export function illuminationGain(frame: number, totalFrames: number, effects: SceneEffects): number {
  return 1 + (effects.illuminationRamp * frame) / M.max(1, totalFrames - 1);
}
