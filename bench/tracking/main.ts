import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createSyntheticScene,
  HARD_SCENE_OPTIONS,
  NO_EFFECTS,
  projectPoint,
  type SceneOptions,
  type SceneScore,
  type SyntheticScene,
} from '@voxelfleet/voxel';
import { describeMachine } from '../lib/results.js';
import { runSceneThroughService, SETTLED_FROM } from './service-run.js';
import { startTrackerProcess } from './tracker-process.js';

/**
 * bench:tracking: the issue-21 matrix through the built tracker's REST API (rig import,
 * stream, frame-sets as PNGs, track history), every scene with its targets in view from the
 * first frame. Writes bench/results/tracking-latest.json: per configuration the standard
 * metrics (TrackEval definitions, 3D match within 5 voxels), and the worst over the matrix.
 * A configuration that misses a goal keeps its row, with the geometric reason.
 * BENCH_ONLY=name,name runs a subset (nothing recorded).
 */
interface Config {
  name: string;
  cameras: number;
  targets: number;
  noise: number;
  scene: Partial<SceneOptions>;
}

const GOALS = { mota: 0.9, idf1: 0.9, hota: 0.8, rmseVoxels: 0.5 };

function rig(cameras: number, crowded: boolean, partial = false): SceneOptions['rig'] {
  return {
    count: cameras,
    layout: crowded
      ? { kind: 'ring', radius: 20, heights: [6, 11, 8.5] }
      : { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
    resolutions: [[320, 240]],
    // Partial views: narrower lenses aimed off-centre, so targets leave and enter views.
    fovDegrees: partial ? 40 : crowded ? 62 : 55,
    aimJitter: partial ? 2 : 0.3,
  };
}

function config(
  name: string,
  cameras: number,
  targets: number,
  noise: number,
  extra: Partial<SceneOptions> = {},
): Config {
  const crowded = targets > 10;
  return {
    name,
    cameras,
    targets,
    noise,
    scene: {
      seed: 2100 + cameras * 1000 + targets * 10 + noise,
      targets,
      noiseSigma: noise,
      frames: 80,
      fps: 10,
      leadInFrames: 0,
      gridDims: crowded ? [144, 144, 48] : [64, 64, 48],
      rig: rig(cameras, crowded),
      ...extra,
    },
  };
}

const CONFIGS: Config[] = [
  config('4cam-1t-n0', 4, 1, 0),
  config('4cam-10t-n3', 4, 10, 3),
  config('4cam-50t-n3', 4, 50, 3),
  config('8cam-10t-n6', 8, 10, 6),
  config('8cam-50t-n3', 8, 50, 3),
  config('20cam-10t-n0', 20, 10, 0),
  config('20cam-50t-n6', 20, 50, 6),
  config('20cam-200t-n3', 20, 200, 3, {
    frames: 40,
    gridDims: [192, 192, 48],
    rig: { ...rig(20, true), layout: { kind: 'ring', radius: 26, heights: [8, 14, 11] } },
  }),
  config('8cam-10t-stops', 8, 10, 3, { stopFraction: 0.5, stopSeconds: [0.4, 1] }),
  config('8cam-5t-3g-10fps', 8, 5, 3, { paths: ['manoeuvre'], speed: 3, turnG: 3 }),
  config('8cam-5t-3g-30fps', 8, 5, 3, { paths: ['manoeuvre'], speed: 3, turnG: 3, fps: 30, frames: 240 }),
  config('8cam-10t-dynamic-bg', 8, 10, 3, {
    effects: {
      ...NO_EFFECTS,
      illuminationRamp: 0.25,
      cloudContrast: 20,
      cloudSpeed: 6,
      distractorsPerCamera: 2,
    },
  }),
  config('8cam-10t-partial', 8, 10, 3, { rig: rig(8, false, true), enterLeaveFraction: 0.3 }),
  config('8cam-10t-hard', 8, 10, 3, { ...HARD_SCENE_OPTIONS, leadInFrames: 0, rig: rig(8, false) }),
];

/**
 * Why a rig cannot separate its targets: each camera sees the targets' silhouettes cover a
 * fraction c of the grid's image; a point of the volume that is no target lies in some
 * target's cone in all m required views with probability about c^m, so the volume holds
 * about cells · c^m ghost intersections per frame (cells: target-sized cells in the grid).
 */
function geometry(
  scene: SyntheticScene,
  minCameras: number,
): { coverage: number; ghostsPerFrame: number; camerasNeeded: number } {
  const [nx, ny, nz] = scene.grid.dims;
  const s = scene.grid.voxelSize;
  const corners = [0, 1].flatMap((a) =>
    [0, 1].flatMap((b) =>
      [0, 1].map(
        (c) =>
          [
            scene.grid.origin[0] + a * nx * s,
            scene.grid.origin[1] + b * ny * s,
            scene.grid.origin[2] + c * nz * s,
          ] as [number, number, number],
      ),
    ),
  );
  const truth = scene.truthAt(0);
  const r = scene.options.targetRadius;
  const coverages = scene.cameras.map((camera) => {
    const pts = corners.map((p) => projectPoint(camera, p)).filter((p): p is [number, number] => p !== null);
    const w =
      Math.min(camera.width, Math.max(...pts.map((p) => p[0]))) -
      Math.max(0, Math.min(...pts.map((p) => p[0])));
    const h =
      Math.min(camera.height, Math.max(...pts.map((p) => p[1]))) -
      Math.max(0, Math.min(...pts.map((p) => p[1])));
    let silhouettes = 0;
    for (const t of truth) {
      const d = Math.hypot(
        t.position[0] - camera.position[0],
        t.position[1] - camera.position[1],
        t.position[2] - camera.position[2],
      );
      silhouettes += Math.PI * ((camera.intrinsics.fx * (t.radius ?? r)) / d) ** 2;
    }
    return Math.min(1, silhouettes / Math.max(1, w * h));
  });
  const coverage = coverages.reduce((a, b) => a + b, 0) / coverages.length;
  const cells = (nx * ny * nz * s ** 3) / (2 * r) ** 3;
  const ghosts = (m: number) => cells * coverage ** m;
  let camerasNeeded = minCameras;
  while (ghosts(camerasNeeded) > 0.1 && camerasNeeded < 64) camerasNeeded++;
  return { coverage, ghostsPerFrame: ghosts(minCameras), camerasNeeded };
}

/**
 * Why a configuration misses its goals, in the order a reader should check: too few views for
 * the target density (geometry); a start-up transient (the goals are met once the first
 * frame's ghosts have cleared); otherwise the tracker, with where its errors are.
 */
function explain(
  missed: string[],
  s: SceneScore,
  settled: SceneScore,
  geo: { coverage: number; ghostsPerFrame: number; camerasNeeded: number },
  c: Config,
): string {
  const head = `misses ${missed.join(', ')}`;
  if (geo.ghostsPerFrame > 0.5) {
    return (
      `${head}: ${c.cameras} views of ${c.targets} targets cover ${(100 * geo.coverage).toFixed(1)} % of each view; ` +
      `about ${geo.ghostsPerFrame.toFixed(1)} ghost intersections per frame; a ring of ${geo.camerasNeeded}+ cameras needed`
    );
  }
  const errors = `${s.falsePositives} false positives, ${s.misses} misses, ${s.idSwitches} id switches of ${s.truthCount} target-frames`;
  const after =
    `after ${SETTLED_FROM} s: MOTA ${settled.mota.toFixed(3)}, IDF1 ${settled.idf1.toFixed(3)}, ` +
    `HOTA ${settled.hota.toFixed(3)}, RMSE ${settled.rmseVoxels.toFixed(2)} voxel`;
  const settledOk = settled.mota >= GOALS.mota && settled.idf1 >= GOALS.idf1 && settled.hota >= GOALS.hota;
  if (settledOk) {
    const localisation =
      settled.rmseVoxels > GOALS.rmseVoxels
        ? `; RMSE stays above ${GOALS.rmseVoxels} voxel after the start-up too (localisation)`
        : '';
    return (
      `${head}: start-up transient${localisation} (${errors}; ${after}). Targets are in view in the first frame: ` +
      'the first frame is the background reference and motion in the second cannot be told from ' +
      'the ghosts of the first, tracks publish after 3 hits, and ghosts the targets left where they ' +
      'overlapped their first-frame silhouettes last until absorbed (1.5 s)'
    );
  }
  const mostly =
    s.misses > s.falsePositives ? 'misses (detection)' : 'false positives (ghost or split tracks)';
  return `${head}: not explained by view geometry (${geo.ghostsPerFrame.toFixed(2)} ghost intersections per frame); mostly ${mostly}: ${errors}; ${after}`;
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',');
  const configs = only ? CONFIGS.filter((c) => only.includes(c.name)) : CONFIGS;
  const tracker = await startTrackerProcess(Number(process.env.BENCH_PORT ?? 4790));
  const rows: Record<string, unknown>[] = [];
  try {
    for (const c of configs) {
      const scene = createSyntheticScene(c.scene);
      const minCameras = c.cameras <= 4 ? c.cameras : Math.ceil(c.cameras * 0.85);
      const run = await runSceneThroughService(tracker.url, tracker.key, scene, c.name);
      const s = run.score;
      const geo = geometry(scene, minCameras);
      const missed = (Object.keys(GOALS) as (keyof typeof GOALS)[]).filter((k) =>
        k === 'rmseVoxels' ? s[k] > GOALS[k] : s[k] < GOALS[k],
      );
      const reason = missed.length === 0 ? null : explain(missed, s, run.settled, geo, c);
      const row = {
        name: c.name,
        cameras: c.cameras,
        targets: c.targets,
        noise: c.noise,
        fps: scene.options.fps,
        frames: run.frames,
        mota: round(s.mota),
        idf1: round(s.idf1),
        hota: round(s.hota),
        detA: round(s.detA),
        assA: round(s.assA),
        rmse_voxels: round(s.rmseVoxels),
        id_switches: s.idSwitches,
        fragmentations: s.fragmentations,
        false_positives: s.falsePositives,
        misses: s.misses,
        settled_from_s: SETTLED_FROM,
        settled_mota: round(run.settled.mota),
        settled_idf1: round(run.settled.idf1),
        settled_hota: round(run.settled.hota),
        settled_rmse_voxels: round(run.settled.rmseVoxels),
        seconds: round(run.seconds),
        meets_goals: missed.length === 0,
        reason,
      };
      console.log(JSON.stringify(row));
      rows.push(row);
    }
  } finally {
    await tracker.stop();
  }
  if (only) return;
  const num = (k: string) => rows.map((r) => r[k] as number);
  const result = {
    name: 'tracking',
    date: new Date().toISOString(),
    machine: describeMachine(),
    definitions:
      'TrackEval CLEAR/Identity/HOTA with similarity max(0, 1 - d / 10 voxels): CLEAR and IDF1 match within 5 voxels (3D centre distance), HOTA alpha 0.05..0.95',
    goals: GOALS,
    figures: {
      mota_min: Math.min(...num('mota')),
      idf1_min: Math.min(...num('idf1')),
      hota_min: Math.min(...num('hota')),
      rmse_voxels_max: Math.max(...num('rmse_voxels')),
      id_switches_total: num('id_switches').reduce((a, b) => a + b, 0),
      fragmentations_total: num('fragmentations').reduce((a, b) => a + b, 0),
    },
    configurations: rows,
  };
  const dir = resolve(import.meta.dirname, '../../../bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'tracking-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result.figures));
}

const round = (x: number) => Number(x.toFixed(4));

await main();
