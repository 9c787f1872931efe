import type { Vec3 } from '../math/mat3.js';
import { solveAssignment } from '../track/hungarian.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;
const EPS = 2.220446049250313e-16; // numpy's float eps, as TrackEval compares with it

/** One time step: ground-truth objects and tracker outputs, each with an id and a 3D position. */
export interface MotFrame {
  truth: { id: number; position: Vec3 }[];
  tracks: { id: number; position: Vec3 }[];
}

/**
 * Similarity of a truth-track pair, in place of TrackEval's IoU: s = max(0, 1 - d / zero),
 * d the 3D distance between centres. With `zero` = 2 × the match distance, TrackEval's fixed
 * thresholds read as distances: CLEAR and Identity match at s ≥ 0.5, i.e. d ≤ zero / 2; HOTA's
 * α from 0.05 to 0.95 sweeps d ≤ (1 - α)·zero.
 */
export interface MotMetricsOptions {
  /** Distance at which similarity reaches 0, in the positions' unit (metres). */
  zeroDistance: number;
}

export interface ClearMetrics {
  /** (TP - FP - IDSW) / (TP + FN). */
  mota: number;
  /** Mean similarity of the matches. */
  motp: number;
  /** Root-mean-square distance of the matches, in the positions' unit. */
  rmse: number;
  tp: number;
  fn: number;
  fp: number;
  idSwitches: number;
  /** Times a truth object's track was interrupted and picked up again (tracked segments - 1). */
  fragmentations: number;
  /** Truth objects matched in more than 80 % / 20..80 % / under 20 % of their frames. */
  mostlyTracked: number;
  partiallyTracked: number;
  mostlyLost: number;
}

export interface IdentityMetrics {
  idf1: number;
  idp: number;
  idr: number;
  idtp: number;
  idfn: number;
  idfp: number;
}

export interface HotaMetrics {
  /** Means over α = 0.05, 0.10, ..., 0.95, as TrackEval reports them. */
  hota: number;
  detA: number;
  assA: number;
  locA: number;
  /** Per α (same order as `alphas`). */
  alphas: number[];
  hotaPerAlpha: number[];
  detAPerAlpha: number[];
  assAPerAlpha: number[];
}

export interface MotMetrics {
  clear: ClearMetrics;
  identity: IdentityMetrics;
  hota: HotaMetrics;
}

/** TrackEval's α grid, np.arange(0.05, 0.99, 0.05), computed as numpy does (start + i·step). */
export const HOTA_ALPHAS: readonly number[] = Array.from({ length: 19 }, (_, i) => 0.05 + i * 0.05);

interface Indexed {
  /** Per frame: dense truth / track indices and the similarity matrix (truth-major). */
  frames: { gt: Int32Array; tr: Int32Array; sim: Float64Array }[];
  zero: number;
  gtCount: number;
  trCount: number;
}

function index(frames: MotFrame[], zero: number): Indexed {
  const gtIds = new Map<number, number>();
  const trIds = new Map<number, number>();
  const dense = (map: Map<number, number>, id: number): number => {
    let i = map.get(id);
    if (i === undefined) map.set(id, (i = map.size));
    return i;
  };
  const out = frames.map((f) => {
    const gt = Int32Array.from(f.truth, (o) => dense(gtIds, o.id));
    const tr = Int32Array.from(f.tracks, (o) => dense(trIds, o.id));
    const sim = new Float64Array(gt.length * tr.length);
    f.truth.forEach((g, i) =>
      f.tracks.forEach((t, j) => {
        const d = M.hypot(
          g.position[0] - t.position[0],
          g.position[1] - t.position[1],
          g.position[2] - t.position[2],
        );
        sim[i * tr.length + j] = M.max(0, 1 - d / zero);
      }),
    );
    return { gt, tr, sim };
  });
  return { frames: out, zero, gtCount: gtIds.size, trCount: trIds.size };
}

/** Maximum-weight matching as scipy's linear_sum_assignment(-score): pairs with score > eps. */
function maxScoreMatching(score: Float64Array, rows: number, cols: number): [number, number][] {
  const cost = new Float64Array(score.length);
  for (let i = 0; i < score.length; i++) cost[i] = -score[i]!;
  const assignment = solveAssignment(cost, rows, cols);
  const pairs: [number, number][] = [];
  for (let i = 0; i < rows; i++) {
    const j = assignment[i]!;
    if (j >= 0 && score[i * cols + j]! > EPS) pairs.push([i, j]);
  }
  return pairs;
}

/** CLEAR MOT as TrackEval's clear.py computes it (threshold 0.5 on the similarity). */
export function clearMetrics(data: Indexed, threshold = 0.5): ClearMetrics {
  const prevTracker = new Int32Array(data.gtCount).fill(-1); // last tracker ever matched
  let prevStep = new Int32Array(data.gtCount).fill(-1); // tracker matched at the previous step
  const gtIdCount = new Int32Array(data.gtCount);
  const gtMatched = new Int32Array(data.gtCount);
  const fragCount = new Int32Array(data.gtCount);
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let idsw = 0;
  let simSum = 0;
  let squared = 0;
  for (const { gt, tr, sim } of data.frames) {
    for (const g of gt) gtIdCount[g]!++;
    if (gt.length === 0 || tr.length === 0) {
      fn += gt.length;
      fp += tr.length;
      // TrackEval skips the step: the previous-step record is left as it was.
      continue;
    }
    const score = new Float64Array(sim.length);
    for (let i = 0; i < gt.length; i++) {
      for (let j = 0; j < tr.length; j++) {
        const s = sim[i * tr.length + j]!;
        score[i * tr.length + j] = s < threshold - EPS ? 0 : (prevStep[gt[i]!] === tr[j] ? 1000 : 0) + s;
      }
    }
    const pairs = maxScoreMatching(score, gt.length, tr.length);
    const next = new Int32Array(data.gtCount).fill(-1);
    for (const [i, j] of pairs) {
      const g = gt[i]!;
      const t = tr[j]!;
      if (prevTracker[g] !== -1 && prevTracker[g] !== t) idsw++;
      prevTracker[g] = t;
      next[g] = t;
      gtMatched[g]!++;
      if (prevStep[g] === -1) fragCount[g]!++;
      const s = sim[i * tr.length + j]!;
      simSum += s;
      squared += ((1 - s) * data.zero) ** 2; // s > 0 here, so the distance is recovered exactly
    }
    prevStep = next;
    tp += pairs.length;
    fn += gt.length - pairs.length;
    fp += tr.length - pairs.length;
  }
  let mt = 0;
  let pt = 0;
  let present = 0;
  let frag = 0;
  for (let g = 0; g < data.gtCount; g++) {
    if (fragCount[g]! > 0) frag += fragCount[g]! - 1;
    if (gtIdCount[g] === 0) continue;
    present++;
    const ratio = gtMatched[g]! / gtIdCount[g]!;
    if (ratio > 0.8) mt++;
    else if (ratio >= 0.2) pt++;
  }
  return {
    mota: (tp - fp - idsw) / M.max(1, tp + fn),
    motp: simSum / M.max(1, tp),
    rmse: tp === 0 ? 0 : M.sqrt(squared / tp),
    tp,
    fn,
    fp,
    idSwitches: idsw,
    fragmentations: frag,
    mostlyTracked: mt,
    partiallyTracked: pt,
    mostlyLost: present - mt - pt,
  };
}

/** IDF1 as TrackEval's identity.py: one global truth-id ↔ track-id matching of co-occurrences. */
export function identityMetrics(data: Indexed, threshold = 0.5): IdentityMetrics {
  const { gtCount, trCount } = data;
  const potential = new Float64Array(gtCount * trCount);
  let gtDets = 0;
  let trDets = 0;
  for (const { gt, tr, sim } of data.frames) {
    gtDets += gt.length;
    trDets += tr.length;
    for (let i = 0; i < gt.length; i++) {
      for (let j = 0; j < tr.length; j++) {
        if (sim[i * tr.length + j]! >= threshold) potential[gt[i]! * trCount + tr[j]!]!++;
      }
    }
  }
  // Minimising IDFN + IDFP over the augmented matrix is maximising the matched co-occurrences.
  let idtp = 0;
  for (const [g, t] of maxScoreMatching(potential, gtCount, trCount)) idtp += potential[g * trCount + t]!;
  const idfn = gtDets - idtp;
  const idfp = trDets - idtp;
  return {
    idf1: idtp / M.max(1, idtp + 0.5 * idfp + 0.5 * idfn),
    idp: idtp / M.max(1, idtp + idfp),
    idr: idtp / M.max(1, idtp + idfn),
    idtp,
    idfn,
    idfp,
  };
}

/** HOTA as TrackEval's hota.py, with its α grid. */
export function hotaMetrics(data: Indexed): HotaMetrics {
  const { gtCount, trCount } = data;
  const potential = new Float64Array(gtCount * trCount);
  const gtIdCount = new Float64Array(gtCount);
  const trIdCount = new Float64Array(trCount);
  for (const { gt, tr, sim } of data.frames) {
    const rowSum = new Float64Array(gt.length);
    const colSum = new Float64Array(tr.length);
    for (let i = 0; i < gt.length; i++) {
      for (let j = 0; j < tr.length; j++) {
        rowSum[i]! += sim[i * tr.length + j]!;
        colSum[j]! += sim[i * tr.length + j]!;
      }
    }
    for (let i = 0; i < gt.length; i++) {
      for (let j = 0; j < tr.length; j++) {
        const s = sim[i * tr.length + j]!;
        const denom = rowSum[i]! + colSum[j]! - s;
        if (denom > EPS) potential[gt[i]! * trCount + tr[j]!]! += s / denom;
      }
    }
    for (const g of gt) gtIdCount[g]!++;
    for (const t of tr) trIdCount[t]!++;
  }
  const globalScore = new Float64Array(gtCount * trCount);
  for (let g = 0; g < gtCount; g++) {
    for (let t = 0; t < trCount; t++) {
      const p = potential[g * trCount + t]!;
      globalScore[g * trCount + t] = p / (gtIdCount[g]! + trIdCount[t]! - p);
    }
  }
  const A = HOTA_ALPHAS.length;
  const tp = new Float64Array(A);
  const fn = new Float64Array(A);
  const fp = new Float64Array(A);
  const loc = new Float64Array(A);
  const matches = HOTA_ALPHAS.map(() => new Float64Array(gtCount * trCount));
  for (const { gt, tr, sim } of data.frames) {
    if (gt.length === 0 || tr.length === 0) {
      for (let a = 0; a < A; a++) {
        fn[a]! += gt.length;
        fp[a]! += tr.length;
      }
      continue;
    }
    const score = new Float64Array(sim.length);
    for (let i = 0; i < gt.length; i++) {
      for (let j = 0; j < tr.length; j++) {
        score[i * tr.length + j] = globalScore[gt[i]! * trCount + tr[j]!]! * sim[i * tr.length + j]!;
      }
    }
    // linear_sum_assignment over the whole matrix; each α keeps the pairs similar enough.
    const cost = new Float64Array(score.length);
    for (let i = 0; i < score.length; i++) cost[i] = -score[i]!;
    const assignment = solveAssignment(cost, gt.length, tr.length);
    for (let a = 0; a < A; a++) {
      const alpha = HOTA_ALPHAS[a]!;
      let n = 0;
      for (let i = 0; i < gt.length; i++) {
        const j = assignment[i]!;
        if (j < 0) continue;
        const s = sim[i * tr.length + j]!;
        if (s < alpha - EPS) continue;
        n++;
        loc[a]! += s;
        matches[a]![gt[i]! * trCount + tr[j]!]!++;
      }
      tp[a]! += n;
      fn[a]! += gt.length - n;
      fp[a]! += tr.length - n;
    }
  }
  const detAPerAlpha: number[] = [];
  const assAPerAlpha: number[] = [];
  const hotaPerAlpha: number[] = [];
  const locPerAlpha: number[] = [];
  for (let a = 0; a < A; a++) {
    const m = matches[a]!;
    let ass = 0;
    for (let g = 0; g < gtCount; g++) {
      for (let t = 0; t < trCount; t++) {
        const c = m[g * trCount + t]!;
        if (c > 0) ass += (c * c) / M.max(1, gtIdCount[g]! + trIdCount[t]! - c);
      }
    }
    const assA = ass / M.max(1, tp[a]!);
    const detA = tp[a]! / M.max(1, tp[a]! + fn[a]! + fp[a]!);
    detAPerAlpha.push(detA);
    assAPerAlpha.push(assA);
    hotaPerAlpha.push(M.sqrt(detA * assA));
    locPerAlpha.push(M.max(1e-10, loc[a]!) / M.max(1e-10, tp[a]!));
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    hota: mean(hotaPerAlpha),
    detA: mean(detAPerAlpha),
    assA: mean(assAPerAlpha),
    locA: mean(locPerAlpha),
    alphas: [...HOTA_ALPHAS],
    hotaPerAlpha,
    detAPerAlpha,
    assAPerAlpha,
  };
}

/** CLEAR MOT, Identity and HOTA of one sequence, matching in 3D by distance (see MotMetricsOptions). */
export function motMetrics(frames: MotFrame[], options: MotMetricsOptions): MotMetrics {
  if (!(options.zeroDistance > 0)) throw new RangeError('zeroDistance must be > 0');
  const data = index(frames, options.zeroDistance);
  return { clear: clearMetrics(data), identity: identityMetrics(data), hota: hotaMetrics(data) };
}
