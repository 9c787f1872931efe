import type { Vec3 } from '../math/mat3.js';
import { solveAssignment } from '../track/hungarian.js';
import type { TrackOutput } from '../track/multi-target-tracker.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

export interface EvaluatedFrame {
  truth: { targetId: number; position: Vec3 }[];
  tracks: TrackOutput[];
}

export interface TrackingScore {
  /** 1 - (misses + false positives + id switches) / ground-truth objects (CLEAR MOT). */
  mota: number;
  /** Root-mean-square distance of matched confirmed tracks to the truth, in voxels. */
  rmseVoxels: number;
  misses: number;
  falsePositives: number;
  idSwitches: number;
  /** Id switches of targets whose surface never came within `separation` voxels of another target. */
  idSwitchesSeparated: number;
  truthCount: number;
  matches: number;
}

/**
 * CLEAR-MOT scoring of confirmed tracks against ground truth: per frame, an optimal
 * one-to-one matching within `matchRadius` metres (a match is a hit, unmatched truth a miss,
 * unmatched confirmed tracks false positives); a target matched to another track than last
 * time counts an id switch.
 */
export function scoreTracking(
  frames: EvaluatedFrame[],
  options: { matchRadius: number; voxelSize: number; targetRadius: number; separationVoxels: number },
): TrackingScore {
  // Which targets ever came close to another (surface gap below the separation)?
  const close = new Set<number>();
  const limit = options.separationVoxels * options.voxelSize + 2 * options.targetRadius;
  for (const f of frames) {
    for (let a = 0; a < f.truth.length; a++) {
      for (let b = a + 1; b < f.truth.length; b++) {
        const pa = f.truth[a]!.position;
        const pb = f.truth[b]!.position;
        if (M.hypot(pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]) < limit) {
          close.add(f.truth[a]!.targetId);
          close.add(f.truth[b]!.targetId);
        }
      }
    }
  }
  const lastTrackOf = new Map<number, number>();
  let misses = 0;
  let falsePositives = 0;
  let idSwitches = 0;
  let idSwitchesSeparated = 0;
  let truthCount = 0;
  let matches = 0;
  let squared = 0;
  for (const f of frames) {
    const tracks = f.tracks.filter((t) => t.state === 'confirmed' || t.state === 'coasting');
    const rows = f.truth.length;
    const cols = tracks.length;
    const cost = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const p = f.truth[i]!.position;
        const q = tracks[j]!.position;
        const d = M.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
        cost[i * cols + j] = d <= options.matchRadius ? d : Infinity;
      }
    }
    const assignment = solveAssignment(cost, rows, cols);
    truthCount += rows;
    let matchedHere = 0;
    for (let i = 0; i < rows; i++) {
      const j = assignment[i]!;
      if (j < 0) {
        misses++;
        continue;
      }
      matchedHere++;
      const d = cost[i * cols + j]!;
      squared += d * d;
      const target = f.truth[i]!.targetId;
      const trackId = tracks[j]!.trackId;
      const previous = lastTrackOf.get(target);
      if (previous !== undefined && previous !== trackId) {
        idSwitches++;
        if (!close.has(target)) idSwitchesSeparated++;
      }
      lastTrackOf.set(target, trackId);
    }
    matches += matchedHere;
    falsePositives += cols - matchedHere;
  }
  return {
    mota: truthCount === 0 ? 1 : 1 - (misses + falsePositives + idSwitches) / truthCount,
    rmseVoxels: matches === 0 ? NaN : M.sqrt(squared / matches) / options.voxelSize,
    misses,
    falsePositives,
    idSwitches,
    idSwitchesSeparated,
    truthCount,
    matches,
  };
}
