import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSyntheticScene, sceneMetadata } from '@voxelfleet/voxel';
import request from 'supertest';
import { seedKey, seedTenant, startTracker, type TrackerHarness } from './support/tracker-harness.js';

/**
 * Motion pixels from many large cameras come as JSON bodies of megabytes: twenty 3840x2160
 * cameras with a few thousand moving pixels each is about 2 MB. The frames route takes them up
 * to its own limit; every other JSON route keeps the small one, and a body over a limit is a
 * 413 that says so, with the stream unchanged.
 */

const PORT = 4480;
const WIDTH = 3840;
const HEIGHT = 2160;
const CAMERAS = 20;

let harness: TrackerHarness;
let key: string;
let streamId: string;

beforeAll(async () => {
  harness = await startTracker('motion_json_size', PORT);
  const tenant = await seedTenant(harness.db, `motion-json-${process.pid}`);
  key = await seedKey(harness.db, tenant, ['tenant-admin'], 'motion-json');
  const scene = createSyntheticScene({
    seed: 11,
    targets: 1,
    frames: 1,
    gridDims: [32, 32, 16],
    rig: {
      count: CAMERAS,
      layout: { kind: 'ring', radius: 30, heights: [3, 12, 7.5] },
      resolutions: [[64, 36]],
      fovDegrees: 65,
      aimJitter: 0.3,
    },
  });
  const rig = await request(harness.url)
    .post('/v1/rigs/import')
    .set('authorization', `Bearer ${key}`)
    .send({
      name: 'uhd-rig',
      metadata: sceneMetadata(scene, 'pgm'),
      resolution: { width: WIDTH, height: HEIGHT },
    })
    .expect(201);
  const stream = await request(harness.url)
    .post('/v1/streams')
    .set('authorization', `Bearer ${key}`)
    .send({
      name: 'uhd-stream',
      rigId: (rig.body as { id: string }).id,
      grid: { origin: scene.grid.origin, dims: scene.grid.dims, voxelSize: scene.grid.voxelSize },
    })
    .expect(201);
  streamId = (stream.body as { id: string }).id;
  await request(harness.url)
    .post(`/v1/streams/${streamId}/start`)
    .set('authorization', `Bearer ${key}`)
    .expect(200);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

/** A block of moving pixels per camera, spread over the image, `perCamera` of them. */
function motionBody(t: number, perCamera: number): { t: number; cameras: { indices: number[] }[] } {
  return {
    t,
    cameras: Array.from({ length: CAMERAS }, (_, k) => ({
      indices: Array.from({ length: perCamera }, (_, i) => (k * 7919 + i * 997) % (WIDTH * HEIGHT)).sort(
        (a, b) => a - b,
      ),
    })),
  };
}

describe('motion pixels as JSON from large cameras', () => {
  it('takes a 2 MB frame-set of twenty 3840x2160 cameras', async () => {
    const body = motionBody(0.1, 14_000);
    expect(JSON.stringify(body).length).toBeGreaterThan(2 * 2 ** 20);
    const res = await request(harness.url)
      .post(`/v1/streams/${streamId}/frames`)
      .set('authorization', `Bearer ${key}`)
      .send(body);
    expect(res.status).toBe(200);
    expect((res.body as { t: number }).t).toBe(0.1);
  }, 60_000);

  it('refuses a frame-set over the frames route limit with a 413 and leaves the stream as it was', async () => {
    const before = await request(harness.url)
      .get(`/v1/streams/${streamId}`)
      .set('authorization', `Bearer ${key}`);
    const huge = motionBody(0.2, 110_000);
    expect(JSON.stringify(huge).length).toBeGreaterThan(16 * 2 ** 20);
    const res = await request(harness.url)
      .post(`/v1/streams/${streamId}/frames`)
      .set('authorization', `Bearer ${key}`)
      .send(huge);
    expect(res.status).toBe(413);
    expect(JSON.stringify(res.body)).toMatch(/too large/i);
    const after = await request(harness.url)
      .get(`/v1/streams/${streamId}`)
      .set('authorization', `Bearer ${key}`);
    const processed = (view: request.Response) =>
      (view.body as { live: { framesProcessed: number } | null }).live?.framesProcessed;
    expect(processed(after)).toBe(processed(before));
  }, 60_000);

  it('keeps the small JSON limit on other routes', async () => {
    const res = await request(harness.url)
      .post('/v1/rigs/import')
      .set('authorization', `Bearer ${key}`)
      .send({ name: 'x'.repeat(2 * 2 ** 20), metadata: [{}], resolution: { width: 1, height: 1 } });
    expect(res.status).toBe(413);
  });
});
