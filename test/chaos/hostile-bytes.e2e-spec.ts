import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import type { SurfaceResult } from '../../bench/chaos/lib/fuzz/fuzz-result.js';
import {
  fuzzHostileBytes,
  fuzzHostileSocket,
  hostileRequests,
} from '../../bench/chaos/lib/fuzz/hostile-bytes.js';
import { operationsFromOpenApi, trackerOperations } from '../../bench/chaos/lib/fuzz/rest-fuzz.js';
import {
  seedPrincipal,
  seedTenant,
  startGateway,
  type GatewayHarness,
} from '../gateway/support/gateway-harness.js';
import { seedKey, startTracker, type TrackerHarness } from '../tracker/support/tracker-harness.js';

/**
 * The hostile-bytes layer of the chaos fuzzer, seeded subset for CI (`npm run chaos` sends
 * every case against the whole stack): NUL, control bytes, unpaired surrogates, 1 MB strings,
 * edge numbers, depth bombs, huge arrays, prototype and duplicated keys, broken UTF-8 and
 * wrong content types on every gateway and tracker route, and on the tracker's socket events.
 * No 5xx, nothing changed by a refusal, unstorable text a 400 naming its field, and every
 * audit chain still verifies afterwards.
 */
const CASES_PER_APP = 400;
const SEED = 19;

describe('chaos: hostile bytes (CI subset)', () => {
  let gw: GatewayHarness;
  let tracker: TrackerHarness;
  let admin: string;
  let tenantKey: string;
  let trackerKey: string;
  let gatewayIds: string[];
  let trackerIds: string[];
  const results: SurfaceResult[] = [];

  beforeAll(async () => {
    gw = await startGateway('chaos_hostile', 4370);
    tracker = await startTracker('chaos_hostile_tracker', 4371);
    admin = (await seedPrincipal(gw.db, { tenantId: null, roles: ['platform-admin'], name: 'root' })).key;
    const tenant = await seedTenant(gw.db, 'hostile-fuzz', 'pro');
    const member = await seedPrincipal(gw.db, { tenantId: tenant, roles: ['tenant-admin'], name: 'fuzz' });
    tenantKey = member.key;
    gatewayIds = [tenant, member.id];
    const trackerTenant = await seedTenant(tracker.db, 'hostile-fuzz-tracker');
    trackerKey = await seedKey(tracker.db, trackerTenant, ['tenant-admin'], 'fuzz');
    const rig = await request(tracker.url)
      .post('/v1/rigs')
      .set('authorization', `Bearer ${trackerKey}`)
      .send({
        name: 'fuzz-rig',
        cameras: [
          {
            id: 'c0',
            width: 64,
            height: 48,
            intrinsics: { fx: 50, fy: 50, cx: 32, cy: 24 },
            position: [0, 0, 5],
            quaternion: [1, 0, 0, 0],
          },
        ],
      })
      .expect(201);
    const stream = await request(tracker.url)
      .post('/v1/streams')
      .set('authorization', `Bearer ${trackerKey}`)
      .send({
        name: 'fuzz-stream',
        rigId: rig.body.id,
        grid: { origin: [0, 0, 0], dims: [8, 8, 8], voxelSize: 0.5 },
      })
      .expect(201);
    trackerIds = [stream.body.id as string, rig.body.id as string];
    await request(tracker.url)
      .post(`/v1/streams/${trackerIds[0]}/start`)
      .set('authorization', `Bearer ${trackerKey}`)
      .expect(200);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([gw?.stop(), tracker?.stop()]);
  });

  it('answers every hostile request to the gateway without a 5xx or a change, naming the field', async () => {
    const doc = (await request(gw.url).get('/docs-json').expect(200)).body as Parameters<
      typeof operationsFromOpenApi
    >[0];
    const { operations, resolve } = operationsFromOpenApi(doc);
    const all = hostileRequests(gw.url, operations, resolve, gatewayIds);
    expect(all.length).toBeGreaterThan(CASES_PER_APP);
    const result = await fuzzHostileBytes(
      'gateway-hostile-bytes',
      {
        baseUrl: gw.url,
        adminKey: admin,
        tenantKey,
        realIds: gatewayIds,
        db: gw.db as unknown as pg.Pool,
        alive: () => gw.process.child.exitCode === null,
      },
      all,
      CASES_PER_APP,
      SEED,
    );
    results.push(result);
    expect(result.cases).toBe(CASES_PER_APP);
    expect(result.findings).toEqual([]);
  }, 300_000);

  it('answers every hostile request to the tracker the same way', async () => {
    const all = hostileRequests(tracker.url, trackerOperations(), () => undefined, trackerIds);
    const result = await fuzzHostileBytes(
      'tracker-hostile-bytes',
      {
        baseUrl: tracker.url,
        adminKey: trackerKey,
        tenantKey: trackerKey,
        realIds: trackerIds,
        db: tracker.db as unknown as pg.Pool,
        alive: () => tracker.process.child.exitCode === null,
      },
      all,
      CASES_PER_APP,
      SEED + 1,
    );
    results.push(result);
    expect(result.findings).toEqual([]);
  }, 300_000);

  it('acks hostile socket messages with a refusal and refuses hostile tokens, staying up', async () => {
    const result = await fuzzHostileSocket(
      tracker.url,
      trackerKey,
      trackerIds[0] ?? '',
      () => tracker.process.child.exitCode === null,
    );
    results.push(result);
    expect(result.cases).toBeGreaterThan(20);
    expect(result.findings).toEqual([]);
  }, 120_000);

  it('leaves every audit chain verifiable, and counts no 5xx and no change by a refusal', async () => {
    const verified = await request(gw.url)
      .get('/admin/audit/verify')
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    const broken = (verified.body as { chains: { chain: string; result: { ok: boolean } }[] }).chains.filter(
      (c) => !c.result.ok,
    );
    expect(broken).toEqual([]);
    expect(results.reduce((n, r) => n + r.fiveXx, 0)).toBe(0);
    expect(results.reduce((n, r) => n + r.changedByRefusal, 0)).toBe(0);
  });
});
