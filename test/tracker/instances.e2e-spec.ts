import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSyntheticScene, sceneRig } from '@voxelfleet/voxel';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { seedKey, seedTenant, startTracker, type TrackerHarness } from './support/tracker-harness.js';

/**
 * Two tracker instances on one database and one Redis: a subscriber connected to the second
 * receives the updates of a stream whose frames the first processes (socket.io Redis adapter).
 * The rig is created from full intrinsics and quaternion poses (the non-import route).
 */
let harness: TrackerHarness;
let siblingUrl = '';
let key = '';

beforeAll(async () => {
  harness = await startTracker('tracker_instances', 4610);
  siblingUrl = await harness.startSibling(4611);
  key = await seedKey(
    harness.db,
    await seedTenant(harness.db, `t-${process.pid}`),
    ['tenant-admin'],
    'admin',
  );
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('tracker instances', () => {
  it('fan a stream out to subscribers of another instance', async () => {
    const scene = createSyntheticScene({
      seed: 11,
      targets: 1,
      frames: 4,
      rig: {
        count: 3,
        layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
        resolutions: [[64, 48]],
        fovDegrees: 55,
        aimJitter: 0.3,
      },
    });
    const auth = { authorization: `Bearer ${key}` };
    const rig = await request(harness.url)
      .post('/v1/rigs')
      .set(auth)
      .send({ name: 'full-rig', cameras: sceneRig(scene) })
      .expect(201);
    // A rotation that is not a rotation is refused, naming the camera.
    const cameras = sceneRig(scene) as { quaternion: number[] }[];
    cameras[1]!.quaternion = [2, 0, 0, 0];
    const bad = await request(harness.url)
      .post('/v1/rigs')
      .set(auth)
      .send({ name: 'bad', cameras })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('cameras[1]');

    const stream = await request(harness.url)
      .post('/v1/streams')
      .set(auth)
      .send({
        name: 's',
        rigId: (rig.body as { id: string }).id,
        grid: { origin: scene.grid.origin, dims: scene.grid.dims, voxelSize: scene.grid.voxelSize },
      })
      .expect(201);
    const streamId = (stream.body as { id: string }).id;

    const socket: Socket = io(`${siblingUrl}/tracks`, {
      transports: ['websocket'],
      auth: { token: key },
      reconnection: false,
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const statuses: { state: string }[] = [];
    socket.on('stream.status', (s: { state: string }) => statuses.push(s));
    const reply = (await socket.timeout(10_000).emitWithAck('subscribe', { streamId })) as { ok: boolean };
    expect(reply.ok).toBe(true);
    const update = new Promise<{ frameSeq: number; tracks: unknown[] }>((resolve) =>
      socket.once('track.update', resolve),
    );

    await request(harness.url).post(`/v1/streams/${streamId}/start`).set(auth).expect(200);
    const processed = await request(harness.url)
      .post(`/v1/streams/${streamId}/frames`)
      .set(auth)
      .send({ t: 0.5, cameras: [{ indices: [10, 11, 12] }, null, { indices: [5] }] })
      .expect(200);
    expect(processed.body).toMatchObject({ frameSeq: 1 });
    await expect(update).resolves.toMatchObject({ frameSeq: 1, tracks: [] });
    expect(statuses.map((s) => s.state)).toContain('running');

    // The live state names the instance that processes the stream and the cameras it saw.
    const live = await request(harness.url).get(`/v1/streams/${streamId}`).set(auth).expect(200);
    expect((live.body as { live: Record<string, unknown> }).live).toMatchObject({
      framesProcessed: 1,
      camerasSeen: ['cam0', 'cam2'],
      evidence: 'in-process-cpu',
    });
    socket.close();
  }, 30_000);
});
