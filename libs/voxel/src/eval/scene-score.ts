import { motMetrics, type MotFrame } from './mot-metrics.js';
import type { EvaluatedFrame } from './tracking-metrics.js';

/** Match distance of the standard metrics, voxels: CLEAR and IDF1 match within it. */
export const MATCH_VOXELS = 5;

/** The figures a tracking benchmark reports for one scene. */
export interface SceneScore {
  mota: number;
  motp: number;
  idf1: number;
  hota: number;
  detA: number;
  assA: number;
  /** Root-mean-square 3D error of the CLEAR matches, voxels. */
  rmseVoxels: number;
  idSwitches: number;
  fragmentations: number;
  falsePositives: number;
  misses: number;
  truthCount: number;
}

/**
 * Standard metrics of the published (confirmed or coasting) tracks of a run: TrackEval's
 * CLEAR MOT, Identity and HOTA with similarity max(0, 1 - d / (2 · matchVoxels voxels)), so
 * CLEAR and IDF1 match within `matchVoxels` voxels and HOTA's α = 0.95 within a tenth of that.
 */
export function scoreScene(
  frames: EvaluatedFrame[],
  options: { voxelSize: number; matchVoxels?: number },
): SceneScore {
  const matchVoxels = options.matchVoxels ?? MATCH_VOXELS;
  const mot: MotFrame[] = frames.map((f) => ({
    truth: f.truth.map((t) => ({ id: t.targetId, position: t.position })),
    tracks: f.tracks
      .filter((t) => t.state === 'confirmed' || t.state === 'coasting')
      .map((t) => ({ id: t.trackId, position: t.position })),
  }));
  const m = motMetrics(mot, { zeroDistance: 2 * matchVoxels * options.voxelSize });
  return {
    mota: m.clear.mota,
    motp: m.clear.motp,
    idf1: m.identity.idf1,
    hota: m.hota.hota,
    detA: m.hota.detA,
    assA: m.hota.assA,
    rmseVoxels: m.clear.rmse / options.voxelSize,
    idSwitches: m.clear.idSwitches,
    fragmentations: m.clear.fragmentations,
    falsePositives: m.clear.fp,
    misses: m.clear.fn,
    truthCount: m.clear.tp + m.clear.fn,
  };
}
