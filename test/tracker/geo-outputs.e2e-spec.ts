import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createSyntheticScene,
  encodePng,
  LocalGeoFrame,
  sceneImageFile,
  sceneMetadata,
  type Georeference,
  type SyntheticScene,
} from '@voxelfleet/voxel';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { seedKey, seedTenant, startTracker, type TrackerHarness } from './support/tracker-harness.js';

/**
 * Where on Earth, end to end against the built tracker: a rig imported with a georeference,
 * a stream sending Cursor-on-Target to a UDP socket on loopback, a replayed scene; live
 * events, history (JSON, NDJSON, CSV) and the GeoJSON export carry WGS84 positions that agree
 * with each other and with the rig's frame, and every live track reaches the socket as a CoT
 * event. Bad georeferences and CoT addresses are 400s naming the field, with nothing stored.
 */

const PORT = 4650;
const TRACKER = { confirmHits: 2, confirmWindow: 3 };
const REFERENCE: Georeference = {
  latitude: 47.3769,
  longitude: 8.5417,
  height: 408.5,
  frame: 'ENU',
  yawDeg: 30,
};

interface Wgs84 {
  lat: number;
  lon: number;
  hae: number;
}
interface LiveTrack {
  trackId: number;
  position: [number, number, number];
  wgs84?: Wgs84;
}
interface TrackUpdate {
  frameSeq: number;
  tracks: LiveTrack[];
}
interface HistoryPoint {
  trackId: number;
  frameSeq: number;
  t: number;
  position: [number, number, number];
  wgs84?: Wgs84;
}

let harness: TrackerHarness;
let key: string;
let scene: SyntheticScene;
let pngs: Uint8Array[][];
let udp: UdpSocket;
let udpPort = 0;
const datagrams: string[] = [];

function api(method: 'get' | 'post' | 'patch', path: string) {
  return request(harness.url)[method](path).set('authorization', `Bearer ${key}`);
}

/** The attributes of one element of an event (the test reads the XML it was sent, nothing more). */
function attributesOf(xml: string, element: string): Record<string, string> {
  const tag = new RegExp(`<${element}\\s([^>]*?)/?>`).exec(xml);
  if (!tag) throw new Error(`no <${element}> in ${xml}`);
  return Object.fromEntries([...tag[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

beforeAll(async () => {
  scene = createSyntheticScene({
    seed: 11,
    targets: 2,
    frames: 30,
    noiseSigma: 2,
    gridDims: [64, 64, 48],
    rig: {
      count: 4,
      layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
      resolutions: [[320, 240]],
      fovDegrees: 55,
      aimJitter: 0.3,
    },
  });
  pngs = Array.from({ length: scene.totalFrames }, (_, f) =>
    scene.cameras.map((_, k) => encodePng(scene.renderFrame(f, k))),
  );
  udp = createSocket('udp4');
  udp.on('message', (message) => datagrams.push(message.toString('utf8')));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  udpPort = udp.address().port;
  harness = await startTracker('tracker_geo', PORT);
  const tenant = await seedTenant(harness.db, `geo-${process.pid}`);
  key = await seedKey(harness.db, tenant, ['tenant-member'], 'geo-member');
  // Rendering the scene and starting the built tracker share two cores with whatever else runs.
}, 180_000);

afterAll(async () => {
  if (process.env.TRACKER_E2E_LOGS) console.log(harness?.process.output());
  await harness?.stop();
  udp?.close();
});

describe('tracker: where on Earth', () => {
  let rigId = '';
  let plainRigId = '';
  let streamId = '';

  it('refuses bad georeferences and CoT addresses with a 400 naming the field, storing nothing', async () => {
    const rig = (georeference: unknown) =>
      api('post', '/v1/rigs/import').send({
        name: 'bad-geo',
        metadata: sceneMetadata(scene, 'png'),
        resolution: { width: 320, height: 240 },
        georeference,
      });
    const out = await rig({ ...REFERENCE, latitude: 91 }).expect(400);
    expect(JSON.stringify(out.body)).toContain('georeference.latitude');
    const west = await rig({ ...REFERENCE, longitude: -180.5 }).expect(400);
    expect(JSON.stringify(west.body)).toContain('georeference.longitude');
    const text = await rig({ ...REFERENCE, height: '408' }).expect(400);
    expect(JSON.stringify(text.body)).toContain('georeference.height');
    const yaw = await rig({ ...REFERENCE, frame: 'NED' }).expect(400);
    expect(JSON.stringify(yaw.body)).toContain('georeference.frame');
    // JSON has no NaN or infinity, but 1e999 parses to Infinity: a non-finite latitude.
    const body = JSON.stringify({
      name: 'bad-geo',
      metadata: sceneMetadata(scene, 'png'),
      resolution: { width: 320, height: 240 },
      georeference: { ...REFERENCE, latitude: 0 },
    }).replace('"latitude":0', '"latitude":1e999');
    const infinite = await api('post', '/v1/rigs/import')
      .set('content-type', 'application/json')
      .send(body)
      .expect(400);
    expect(JSON.stringify(infinite.body)).toContain('georeference.latitude');
    const rigs = await api('get', '/v1/rigs').expect(200);
    expect((rigs.body as { rigs: unknown[] }).rigs).toHaveLength(0);
  });

  it('imports a georeferenced rig and creates a stream sending CoT over UDP to loopback', async () => {
    const imported = await api('post', '/v1/rigs/import')
      .send({
        name: 'geo-rig',
        metadata: sceneMetadata(scene, 'png'),
        resolution: { width: 320, height: 240 },
        georeference: REFERENCE,
      })
      .expect(201);
    rigId = (imported.body as { id: string }).id;
    expect((imported.body as { georeference: Georeference }).georeference).toEqual(REFERENCE);
    const plain = await api('post', '/v1/rigs/import')
      .send({
        name: 'plain-rig',
        metadata: sceneMetadata(scene, 'png'),
        resolution: { width: 320, height: 240 },
      })
      .expect(201);
    plainRigId = (plain.body as { id: string }).id;
    expect((plain.body as { georeference: unknown }).georeference).toBeNull();

    const grid = { origin: scene.grid.origin, dims: scene.grid.dims, voxelSize: scene.grid.voxelSize };
    const stream = (name: string, cot: unknown, rig = rigId) =>
      api('post', '/v1/streams').send({
        name,
        rigId: rig,
        grid,
        parameters: { ...TRACKER, fps: scene.options.fps },
        cot,
      });
    for (const [cot, field] of [
      [{ protocol: 'udp', host: 'not a host!', port: udpPort }, 'cot.host'],
      [{ protocol: 'udp', host: '0.0.0.0', port: udpPort }, 'cot.host'],
      [{ protocol: 'tcp', host: '239.2.3.1', port: 6969 }, 'cot.host'],
      [{ protocol: 'udp', host: '127.0.0.1', port: 70_000 }, 'cot.port'],
      [{ protocol: 'quic', host: '127.0.0.1', port: 8087 }, 'cot.protocol'],
      [{ protocol: 'udp', host: '127.0.0.1', port: 8087, type: 'a u A' }, 'cot.type'],
    ] as const) {
      const refused = await stream('bad-cot', cot).expect(400);
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    // CoT points are WGS84: a rig without a georeference cannot feed them.
    const unplaced = await stream(
      'unplaced',
      { protocol: 'udp', host: '127.0.0.1', port: udpPort },
      plainRigId,
    ).expect(409);
    expect(JSON.stringify(unplaced.body)).toContain('georeference');
    const streams = await api('get', '/v1/streams').expect(200);
    expect((streams.body as { streams: unknown[] }).streams).toHaveLength(0);

    const created = await stream('geo-stream', {
      protocol: 'udp',
      host: '127.0.0.1',
      port: udpPort,
      staleSeconds: 10,
    }).expect(201);
    streamId = (created.body as { id: string }).id;
    expect((created.body as { cot: unknown }).cot).toEqual({
      protocol: 'udp',
      host: '127.0.0.1',
      port: udpPort,
      type: 'a-u-A',
      staleSeconds: 10,
    });
    await api('post', `/v1/streams/${streamId}/start`).expect(200);

    // Moving a rig under recorded tracks would move them: refused while streams use it.
    const moved = await api('patch', `/v1/rigs/${rigId}`)
      .send({ georeference: { ...REFERENCE, latitude: 47.5 } })
      .expect(409);
    expect(JSON.stringify(moved.body)).toContain('georeference');
  });

  it('gives tracks in WGS84 live, in history and GeoJSON, and sends each as a CoT event', async () => {
    const socket: Socket = io(`${harness.url}/tracks`, {
      transports: ['websocket'],
      auth: { token: key },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const updates: TrackUpdate[] = [];
    socket.on('track.update', (u: TrackUpdate) => updates.push(u));
    const reply = (await socket.timeout(10_000).emitWithAck('subscribe', { streamId })) as { ok: boolean };
    expect(reply.ok).toBe(true);

    let upload = api('post', `/v1/streams/${streamId}/replay`)
      .field('speed', 'max')
      .attach('metadata', Buffer.from(JSON.stringify(sceneMetadata(scene, 'png'))), 'metadata.json');
    pngs.forEach((frame, f) =>
      frame.forEach((bytes, k) => {
        upload = upload.attach(sceneImageFile(k, f, 'png'), Buffer.from(bytes), `frame_${f}_${k}.png`);
      }),
    );
    await upload.expect(202);
    const deadline = Date.now() + 150_000;
    for (;;) {
      const res = await api('get', `/v1/streams/${streamId}`).expect(200);
      if ((res.body as { replay: { state: string } | null }).replay?.state === 'done') break;
      if (Date.now() > deadline) throw new Error(`replay did not finish: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 300));
    socket.close();

    // Live: every track carries the WGS84 position of its local position in the rig's frame.
    const frame = new LocalGeoFrame(REFERENCE);
    const live = updates.flatMap((u) => u.tracks.map((t) => ({ ...t, frameSeq: u.frameSeq })));
    expect(live.length).toBeGreaterThan(10);
    for (const t of live) {
      expect(t.wgs84).toBeDefined();
      const expected = frame.toGeodetic(t.position);
      expect(Math.abs(t.wgs84!.lat - expected.lat)).toBeLessThan(1e-8);
      expect(Math.abs(t.wgs84!.lon - expected.lon)).toBeLessThan(1e-8);
      expect(Math.abs(t.wgs84!.hae - expected.hae)).toBeLessThan(1e-3);
      // The scene sits within metres of the origin: so do its tracks on Earth.
      expect(Math.abs(t.wgs84!.lat - REFERENCE.latitude)).toBeLessThan(0.001);
      expect(Math.abs(t.wgs84!.hae - REFERENCE.height - t.position[2])).toBeLessThan(0.01);
    }

    // History: the same WGS84 positions, to the last digit.
    const history = await api('get', `/v1/streams/${streamId}/tracks`).expect(200);
    const points = (history.body as { tracks: HistoryPoint[] }).tracks;
    const pointKey = (p: { trackId: number; frameSeq: number }) => `${p.frameSeq}:${p.trackId}`;
    const byKey = new Map(points.map((p) => [pointKey(p), p]));
    expect(points).toHaveLength(live.length);
    for (const t of live) expect(byKey.get(pointKey(t))?.wgs84).toEqual(t.wgs84);

    const ndjson = await api('get', `/v1/streams/${streamId}/tracks?format=ndjson`).expect(200);
    const lines = ndjson.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as HistoryPoint);
    expect(lines.map((p) => p.wgs84)).toEqual(points.map((p) => p.wgs84));

    const csv = await api('get', `/v1/streams/${streamId}/tracks?format=csv`).expect(200);
    const [header, ...rows] = csv.text.trim().split('\n');
    const columns = header!.split(',');
    expect(columns.slice(-3)).toEqual(['lat', 'lon', 'hae']);
    expect(columns.slice(0, 5)).toEqual(['track_id', 'frame_seq', 't', 'state', 'x']);
    rows.forEach((row, i) => {
      const cells = row.split(',');
      expect(cells).toHaveLength(columns.length);
      expect(cells.slice(-3).map(Number)).toEqual([
        points[i]!.wgs84!.lat,
        points[i]!.wgs84!.lon,
        points[i]!.wgs84!.hae,
      ]);
    });

    // GeoJSON: one feature per track, vertices [lon, lat, hae] in time order.
    const geojson = await api('get', `/v1/streams/${streamId}/tracks?format=geojson`)
      .expect(200)
      .expect('content-type', /application\/geo\+json/);
    const collection = JSON.parse(geojson.text) as {
      type: string;
      features: { id: number; geometry: { type: string; coordinates: number[][] | number[] } }[];
    };
    expect(collection.type).toBe('FeatureCollection');
    const trackIds = [...new Set(points.map((p) => p.trackId))].sort((a, b) => a - b);
    expect(collection.features.map((f) => f.id)).toEqual(trackIds);
    for (const feature of collection.features) {
      const path = points.filter((p) => p.trackId === feature.id).sort((a, b) => a.t - b.t);
      const vertices = path.map((p) => [p.wgs84!.lon, p.wgs84!.lat, p.wgs84!.hae]);
      if (path.length === 1) expect(feature.geometry).toEqual({ type: 'Point', coordinates: vertices[0] });
      else expect(feature.geometry).toEqual({ type: 'LineString', coordinates: vertices });
    }

    // CoT over UDP: one event per live track (plus a stale one per lost track).
    const wait = Date.now() + 5_000;
    while (datagrams.length < live.length && Date.now() < wait) await new Promise((r) => setTimeout(r, 50));
    const events = datagrams.map((xml) => ({
      xml,
      event: attributesOf(xml, 'event'),
      point: attributesOf(xml, 'point'),
    }));
    expect(events.length).toBeGreaterThanOrEqual(live.length);
    for (const { xml, event, point } of events) {
      expect(xml.startsWith('<?xml')).toBe(true);
      expect(event).toMatchObject({ version: '2.0', type: 'a-u-A', how: 'm-f' });
      expect(event['uid']).toMatch(new RegExp(`^voxelfleet\\.${streamId}\\.\\d+$`));
      for (const name of ['time', 'start', 'stale'])
        expect(Number.isFinite(Date.parse(event[name]!))).toBe(true);
      for (const name of ['lat', 'lon', 'hae', 'ce', 'le']) expect(point[name]).toMatch(/^-?\d+(\.\d+)?$/);
    }
    for (const t of live) {
      const uid = `voxelfleet.${streamId}.${t.trackId}`;
      const match = events.find(
        ({ event, point }) =>
          event['uid'] === uid &&
          Math.abs(Number(point['lat']) - t.wgs84!.lat) < 1e-8 &&
          Math.abs(Number(point['lon']) - t.wgs84!.lon) < 1e-8 &&
          Math.abs(Number(point['hae']) - t.wgs84!.hae) < 1e-3,
      );
      expect(match).toBeDefined();
      // Fresh events are valid for the stream's staleSeconds.
      const { event } = match!;
      expect(Date.parse(event['stale']!) - Date.parse(event['start']!)).toBe(10_000);
    }
  }, 180_000);

  it('keeps local-only streams local: no wgs84, no GeoJSON', async () => {
    const created = await api('post', '/v1/streams')
      .send({
        name: 'plain-stream',
        rigId: plainRigId,
        grid: { origin: scene.grid.origin, dims: scene.grid.dims, voxelSize: scene.grid.voxelSize },
      })
      .expect(201);
    const id = (created.body as { id: string }).id;
    const refused = await api('get', `/v1/streams/${id}/tracks?format=geojson`).expect(409);
    expect(JSON.stringify(refused.body)).toContain('georeference');
    const csv = await api('get', `/v1/streams/${id}/tracks?format=csv`).expect(200);
    expect(csv.text.split('\n')[0]).not.toContain('lat');
  });
});
