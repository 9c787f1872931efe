import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createSyntheticScene,
  encodePng,
  runSyntheticScene,
  sceneImageFile,
  sceneMetadata,
  scoreTracking,
  type SyntheticScene,
  type TrackOutput,
} from '@voxelfleet/voxel';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { eventually, schedulerDatabase, seedTenant, startApp } from '../scheduler/scheduler-fixture.js';
import { testRedisUrl } from '../support/env.js';
import { SpawnedApp } from '../support/spawned-app.js';

/**
 * Evidence on the fleet: the tracker (TRACKER_EVIDENCE=fleet) submits each frame-set as a
 * voxel.evidence job, the scheduler places it on one of two CPU gpu-nodes, and the tracks
 * match the library's on the same frames. Then a node is killed (SIGKILL) before a second
 * replay: frame-sets it held are reported as gaps, the rest run on the surviving node, and
 * every frame-set is accounted for as tracked or lost.
 */

const PORTS = { scheduler: 4701, nodeA: 4702, nodeB: 4703, tracker: 4704 };
const TRACKER = { confirmHits: 2, confirmWindow: 3 };

interface TrackUpdate {
  frameSeq: number;
  t: number;
  tracks: TrackOutput[];
}
interface StatusEvent {
  gap?: { frames: number; reason: string };
}
interface LiveState {
  framesProcessed: number;
  framesLost: number;
  evidence: string;
  node: string | null;
  inFlight: number;
}

let scene: SyntheticScene;
let pngs: Uint8Array[][];
let database: { url: string; db: DataSource; close(): Promise<void> };
let apps: Record<'scheduler' | 'nodeA' | 'nodeB' | 'tracker', SpawnedApp>;
let key = '';
let tenantId = '';
let socket: Socket;
const trackerUrl = `http://127.0.0.1:${PORTS.tracker}`;

async function ready(app: SpawnedApp, port: number): Promise<void> {
  await eventually(
    async () => {
      if (app.child.exitCode !== null) throw new Error(`exited: ${app.output()}`);
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
      return res?.ok ? true : undefined;
    },
    30_000,
    `app on ${port} ready`,
  );
}

function replay(speed: 'max' | 'real') {
  let upload = request(trackerUrl)
    .post(`/v1/streams/${streamId}/replay`)
    .set('authorization', `Bearer ${key}`)
    .field('speed', speed)
    .attach('metadata', Buffer.from(JSON.stringify(sceneMetadata(scene, 'png'))), 'metadata.json');
  pngs.forEach((frame, f) =>
    frame.forEach((bytes, k) => {
      upload = upload.attach(sceneImageFile(k, f, 'png'), Buffer.from(bytes), `frame_${f}_${k}.png`);
    }),
  );
  return upload.expect(202);
}

async function replayDone(replayId: string): Promise<LiveState> {
  return eventually(
    async () => {
      const res = await request(trackerUrl)
        .get(`/v1/streams/${streamId}`)
        .set('authorization', `Bearer ${key}`);
      const body = res.body as { replay: { replayId: string; state: string } | null; live: LiveState };
      return body.replay?.replayId === replayId && body.replay.state === 'done' && body.live.inFlight === 0
        ? body.live
        : undefined;
    },
    60_000,
    'the replay to finish',
    100,
  );
}

let streamId = '';

beforeAll(async () => {
  scene = createSyntheticScene({
    seed: 11,
    targets: 2,
    frames: 30,
    noiseSigma: 2,
    gridDims: [48, 48, 32],
    voxelSize: 0.25,
    rig: {
      count: 4,
      layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
      resolutions: [[240, 180]],
      fovDegrees: 55,
      aimJitter: 0.3,
    },
  });
  pngs = Array.from({ length: scene.totalFrames }, (_, f) =>
    scene.cameras.map((_, k) => encodePng(scene.renderFrame(f, k))),
  );
  database = await schedulerDatabase('trk_fleet');
  // A rate quota far below the stream's frame rate: frame-set jobs are governed by the stream
  // quota, not by jobsPerMinute, so none of them may wait on it.
  const tenant = await seedTenant(database.db, `fleet-${process.pid}`, { quota: { jobsPerMinute: 5 } });
  key = tenant.key;
  tenantId = tenant.tenantId;
  const prefix = `vf-e2e-trkfleet-${process.pid}`;
  const common = { DATABASE_URL: database.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
  const node = (id: string, port: number) =>
    startApp('gpu-node', port, { ...common, NODE_ID: id, CPU_SLOTS: '2', HEARTBEAT_INTERVAL_MS: '200' });
  apps = {
    // Node loss is declared after the evidence budget has run out, so the frame-sets held by a
    // killed node are gaps rather than re-placed in time.
    scheduler: startApp('scheduler', PORTS.scheduler, { ...common, NODE_LOST_AFTER_MS: '3500' }),
    nodeA: node('node-a', PORTS.nodeA),
    nodeB: node('node-b', PORTS.nodeB),
    tracker: SpawnedApp.start('dist/apps/tracker/src/main.js', {
      ...common,
      PORT: String(PORTS.tracker),
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      TRACKER_EVIDENCE: 'fleet',
      TRACKER_EVIDENCE_BUDGET_MS: '2500',
    }),
  };
  await Promise.all([
    ready(apps.scheduler, PORTS.scheduler),
    ready(apps.nodeA, PORTS.nodeA),
    ready(apps.nodeB, PORTS.nodeB),
    ready(apps.tracker, PORTS.tracker),
  ]);
  // Both nodes known to the scheduler before the first frame-set.
  await eventually(
    async () => {
      const rows = await database.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM nodes`);
      return Number(rows[0]?.n) >= 2 ? true : undefined;
    },
    20_000,
    'both nodes registered',
  );
}, 90_000);

afterAll(async () => {
  socket?.close();
  if (process.env.TRACKER_E2E_LOGS) for (const app of Object.values(apps ?? {})) console.log(app.output());
  await Promise.all(Object.values(apps ?? {}).map((app) => app.stop('SIGTERM')));
  await database?.close();
});

describe('tracker with evidence on the fleet', () => {
  const updates: TrackUpdate[] = [];
  const gaps: StatusEvent[] = [];

  it('tracks a replayed scene with every frame-set evidenced by a gpu-node', async () => {
    const rig = await request(trackerUrl)
      .post('/v1/rigs/import')
      .set('authorization', `Bearer ${key}`)
      .send({ name: 'rig', metadata: sceneMetadata(scene, 'png'), resolution: { width: 240, height: 180 } })
      .expect(201);
    const created = await request(trackerUrl)
      .post('/v1/streams')
      .set('authorization', `Bearer ${key}`)
      .send({
        name: 'fleet-stream',
        rigId: (rig.body as { id: string }).id,
        grid: { origin: scene.grid.origin, dims: scene.grid.dims, voxelSize: scene.grid.voxelSize },
        parameters: { ...TRACKER, fps: scene.options.fps },
      })
      .expect(201);
    streamId = (created.body as { id: string }).id;
    await request(trackerUrl)
      .post(`/v1/streams/${streamId}/start`)
      .set('authorization', `Bearer ${key}`)
      .expect(200);

    socket = io(`${trackerUrl}/tracks`, {
      transports: ['websocket'],
      auth: { token: key },
      reconnection: false,
    });
    socket.on('track.update', (u: TrackUpdate) => updates.push(u));
    socket.on('stream.status', (s: StatusEvent) => s.gap && gaps.push(s));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    expect(
      ((await socket.timeout(10_000).emitWithAck('subscribe', { streamId })) as { ok: boolean }).ok,
    ).toBe(true);

    const first = await replay('max');
    const live = await replayDone((first.body as { replayId: string }).replayId);
    expect(live).toMatchObject({ framesProcessed: scene.totalFrames, framesLost: 0, evidence: 'fleet' });
    expect(['node-a', 'node-b']).toContain(live.node);

    // One succeeded voxel.evidence job of the stream's tenant per frame-set, run on the nodes.
    const jobs = await database.db.query<{ state: string; node_id: string; n: string }[]>(
      `SELECT state, node_id, count(*) AS n FROM jobs
        WHERE tenant_id = $1 AND kernel->>'name' = 'voxel.evidence' GROUP BY state, node_id`,
      [tenantId],
    );
    expect(jobs.every((j) => j.state === 'succeeded' && ['node-a', 'node-b'].includes(j.node_id))).toBe(true);
    expect(jobs.reduce((n, j) => n + Number(j.n), 0)).toBe(scene.totalFrames);
    // Their payloads (pixel and voxel lists) are dropped once the tracker has the result.
    await eventually(
      async () => {
        const heavy = await database.db.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM jobs WHERE tenant_id = $1 AND (inputs <> '{}'::jsonb OR output IS NOT NULL)`,
          [tenantId],
        );
        return Number(heavy[0]?.n) === 0 ? true : undefined;
      },
      5_000,
      'evidence payloads dropped',
    );

    // The same tracks as the library computes on the same frames in one process.
    await eventually(
      () => Promise.resolve(updates.length >= scene.totalFrames ? true : undefined),
      5_000,
      'updates',
    );
    const fps = scene.options.fps;
    const score = scoreTracking(
      updates
        .map((u) => ({ frame: Math.round(u.t * fps), tracks: u.tracks }))
        .filter((u) => u.frame >= scene.options.leadInFrames)
        .map((u) => ({ truth: scene.truthAt(u.frame), tracks: u.tracks })),
      {
        matchRadius: 3 * scene.grid.voxelSize + scene.options.targetRadius,
        voxelSize: scene.grid.voxelSize,
        targetRadius: scene.options.targetRadius,
        separationVoxels: 3,
      },
    );
    const reference = runSyntheticScene(scene, { tracker: TRACKER });
    expect(score.matches).toBe(reference.score.matches);
    expect(score.mota).toBeCloseTo(reference.score.mota, 9);
  }, 90_000);

  it('keeps tracking when a node dies: its frame-sets are gaps, the rest run on the survivor', async () => {
    const before = updates.length;
    const lastOfFirst = updates.at(-1)!;
    const second = await replay('real');
    // Mid-replay, kill whichever node is evidencing the stream right now.
    const busy = await eventually(
      async () => {
        const res = await request(trackerUrl)
          .get(`/v1/streams/${streamId}`)
          .set('authorization', `Bearer ${key}`);
        const live = (res.body as { live: LiveState }).live;
        return live.framesProcessed >= scene.totalFrames + 8 ? live.node : undefined;
      },
      20_000,
      'the second replay under way',
      20,
    );
    const [victim, survivor] = busy === 'node-a' ? ['nodeA', 'node-b'] : ['nodeB', 'node-a'];
    await apps[victim as 'nodeA' | 'nodeB'].stop('SIGKILL');
    const live = await replayDone((second.body as { replayId: string }).replayId);

    // Every frame-set was either tracked or reported lost, and the dead node's were lost.
    expect(live.framesLost).toBeGreaterThan(0);
    expect(live.framesProcessed + live.framesLost).toBe(2 * scene.totalFrames);
    expect(updates.length - before).toBe(scene.totalFrames - live.framesLost);
    expect(gaps.length).toBe(live.framesLost);
    for (const gap of gaps) expect(gap.gap?.reason).toMatch(/evidence job/);
    // Once the scheduler has declared the node lost, frame-sets run on the survivor, and the
    // tracks carry on through the gap to the scene's end.
    expect(live.node).toBe(survivor);
    expect(updates.at(-1)?.tracks.length).toBe(lastOfFirst.tracks.length);
    // No frame-set was computed twice: one voxel.evidence job each, none succeeded on a dead node
    // after its frame-set was given up.
    const counted = await database.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM jobs WHERE tenant_id = $1 AND kernel->>'name' = 'voxel.evidence'`,
      [tenantId],
    );
    expect(Number(counted[0]?.n)).toBe(2 * scene.totalFrames);
  }, 90_000);
});
