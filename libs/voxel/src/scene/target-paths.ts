import type { Vec3 } from '../math/mat3.js';
import type { SeededRandom } from '../math/random.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

export type PathKind = 'line' | 'helix' | 'random-walk' | 'crossing' | 'manoeuvre';

/** An axis-aligned box the targets' centres stay in. */
export interface Box {
  min: Vec3;
  max: Vec3;
}

/** Reflects x into [lo, hi] as a ball bouncing between walls would (a triangle wave). */
function fold(x: number, lo: number, hi: number): number {
  const span = hi - lo;
  if (span <= 0) return lo;
  const m = (((x - lo) % (2 * span)) + 2 * span) % (2 * span);
  return lo + (m <= span ? m : 2 * span - m);
}

function randomPoint(rng: SeededRandom, box: Box): Vec3 {
  return [
    rng.range(box.min[0], box.max[0]),
    rng.range(box.min[1], box.max[1]),
    rng.range(box.min[2], box.max[2]),
  ];
}

function randomDirection(rng: SeededRandom): Vec3 {
  for (;;) {
    const d: Vec3 = [rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1)];
    const n = M.hypot(...d);
    if (n > 0.1 && n <= 1) return [d[0] / n, d[1] / n, d[2] / n];
  }
}

/**
 * Positions of one target at every frame (frames × 3, metres). `speed` is in m/s; paths
 * bounce off the box walls so every target stays inside the grid.
 */
export function generatePath(
  kind: Exclude<PathKind, 'crossing'>,
  rng: SeededRandom,
  box: Box,
  frames: number,
  fps: number,
  speed: number,
  turnAcceleration = 3 * STANDARD_GRAVITY,
): Float64Array {
  const out = new Float64Array(frames * 3);
  const dt = 1 / fps;
  if (kind === 'manoeuvre') return manoeuvrePath(rng, box, frames, fps, speed, turnAcceleration);
  if (kind === 'line') {
    const p0 = randomPoint(rng, box);
    const v = randomDirection(rng).map((c) => c * speed) as Vec3;
    for (let f = 0; f < frames; f++) {
      for (let a = 0; a < 3; a++) out[f * 3 + a] = fold(p0[a]! + v[a]! * f * dt, box.min[a]!, box.max[a]!);
    }
  } else if (kind === 'helix') {
    const radius = M.min(box.max[0] - box.min[0], box.max[1] - box.min[1]) * rng.range(0.1, 0.25);
    const centre: Vec3 = [
      rng.range(box.min[0] + radius, box.max[0] - radius),
      rng.range(box.min[1] + radius, box.max[1] - radius),
      rng.range(box.min[2], box.max[2]),
    ];
    const omega = (speed * 0.9) / radius;
    const climb = speed * 0.3 * (rng.next() < 0.5 ? -1 : 1);
    const phase = rng.range(0, 2 * M.PI);
    for (let f = 0; f < frames; f++) {
      const t = f * dt;
      out[f * 3] = centre[0] + radius * M.cos(phase + omega * t);
      out[f * 3 + 1] = centre[1] + radius * M.sin(phase + omega * t);
      out[f * 3 + 2] = fold(centre[2] + climb * t, box.min[2], box.max[2]);
    }
  } else {
    // A smooth random walk: the velocity itself wanders, its magnitude pulled towards `speed`.
    const p = randomPoint(rng, box);
    let v = randomDirection(rng).map((c) => c * speed) as Vec3;
    for (let f = 0; f < frames; f++) {
      for (let a = 0; a < 3; a++) {
        p[a] = p[a]! + v[a]! * dt;
        if (p[a]! < box.min[a]! || p[a]! > box.max[a]!) {
          v[a] = -v[a]!;
          p[a] = fold(p[a]!, box.min[a]!, box.max[a]!);
        }
        out[f * 3 + a] = p[a]!;
      }
      const jitter = speed * 2 * dt;
      v = v.map((c) => c + jitter * rng.gaussian()) as Vec3;
      const n = M.hypot(...v) || 1;
      v = v.map((c) => (c / n) * speed) as Vec3;
    }
  }
  return out;
}

/**
 * Two targets that pass each other at the box centre region mid-sequence, closest approach
 * `gap` metres between centres, on straight lines.
 */
export function generateCrossingPair(
  rng: SeededRandom,
  box: Box,
  frames: number,
  fps: number,
  speed: number,
  gap: number,
): [Float64Array, Float64Array] {
  const inner: Box = {
    min: box.min.map((lo, a) => lo + (box.max[a]! - lo) * 0.3) as Vec3,
    max: box.max.map((hi, a) => hi - (hi - box.min[a]!) * 0.3) as Vec3,
  };
  const meet = randomPoint(rng, inner);
  const angle = rng.range(0, 2 * M.PI);
  const turn = rng.range(M.PI / 3, (2 * M.PI) / 3);
  const dirs: Vec3[] = [
    [M.cos(angle), M.sin(angle), 0],
    [M.cos(angle + turn), M.sin(angle + turn), 0],
  ];
  const tMeet = frames / fps / 2;
  const paths: Float64Array[] = dirs.map((d, i) => {
    const out = new Float64Array(frames * 3);
    const offset = (i === 0 ? 0.5 : -0.5) * gap;
    for (let f = 0; f < frames; f++) {
      const s = (f / fps - tMeet) * speed;
      out[f * 3] = fold(meet[0] + d[0] * s, box.min[0], box.max[0]);
      out[f * 3 + 1] = fold(meet[1] + d[1] * s, box.min[1], box.max[1]);
      out[f * 3 + 2] = fold(meet[2] + offset, box.min[2], box.max[2]);
    }
    return out;
  });
  return [paths[0]!, paths[1]!];
}

/** m/s². */
export const STANDARD_GRAVITY = 9.80665;

/**
 * Straight legs (0.4 to 1.2 s) joined by level turns flown at `turnAcceleration` (m/s²,
 * centripetal, so the speed stays `speed`) through 60 to 180 degrees, turning towards the
 * box centre so the target stays inside. Integrated at 20 substeps per frame, so the path is
 * the same curve whatever the frame rate samples it.
 */
function manoeuvrePath(
  rng: SeededRandom,
  box: Box,
  frames: number,
  fps: number,
  speed: number,
  turnAcceleration: number,
): Float64Array {
  const out = new Float64Array(frames * 3);
  const inset = (a: number) => (box.max[a]! - box.min[a]!) * 0.25;
  const p: Vec3 = [
    rng.range(box.min[0] + inset(0), box.max[0] - inset(0)),
    rng.range(box.min[1] + inset(1), box.max[1] - inset(1)),
    rng.range(box.min[2] + inset(2), box.max[2] - inset(2)),
  ];
  let heading = rng.range(0, 2 * M.PI);
  const climb = rng.range(-0.2, 0.2) * speed;
  const omega = turnAcceleration / M.max(speed, 1e-6);
  let legLeft = rng.range(0.4, 1.2);
  let turnLeft = 0;
  let turnSign = 1;
  const sub = 20;
  const h = 1 / fps / sub;
  let vz = climb;
  for (let f = 0; f < frames; f++) {
    out[f * 3] = p[0];
    out[f * 3 + 1] = p[1];
    out[f * 3 + 2] = p[2];
    for (let s = 0; s < sub; s++) {
      if (turnLeft > 0) {
        const step = M.min(turnLeft, omega * h);
        heading += turnSign * step;
        turnLeft -= step;
        if (turnLeft <= 0) legLeft = rng.range(0.4, 1.2);
      } else {
        legLeft -= h;
        if (legLeft <= 0) {
          // Turn towards the centre: the sign of the cross product of heading and the way in.
          const cx = (box.min[0] + box.max[0]) / 2 - p[0];
          const cy = (box.min[1] + box.max[1]) / 2 - p[1];
          turnSign = M.cos(heading) * cy - M.sin(heading) * cx >= 0 ? 1 : -1;
          turnLeft = rng.range(M.PI / 3, M.PI);
        }
      }
      p[0] += speed * M.cos(heading) * h;
      p[1] += speed * M.sin(heading) * h;
      p[2] += vz * h;
      if (p[2] < box.min[2] || p[2] > box.max[2]) vz = -vz;
      for (let a = 0; a < 3; a++) p[a] = fold(p[a]!, box.min[a]!, box.max[a]!);
    }
  }
  return out;
}
