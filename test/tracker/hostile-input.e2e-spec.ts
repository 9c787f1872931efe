import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyChain, type StoredAuditEntry } from '@voxelfleet/audit';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { seedKey, seedTenant, startTracker, type TrackerHarness } from './support/tracker-harness.js';

/**
 * Findings of an outside probe of the tracker, each pinned by the request that showed it:
 * hostile text and frame times are refused with a 4xx naming the field, and nothing changes.
 */

const PORT = 4630;

let harness: TrackerHarness;
let key: string;
let tenant: string;

const camera = (id: string) => ({
  id,
  width: 64,
  height: 48,
  intrinsics: { fx: 50, fy: 50, cx: 32, cy: 24 },
  position: [0, 0, 5],
  quaternion: [1, 0, 0, 0],
});

const as = () => ({
  post: (path: string) => request(harness.url).post(path).set('authorization', `Bearer ${key}`),
  patch: (path: string) => request(harness.url).patch(path).set('authorization', `Bearer ${key}`),
});

/** Bytes sent as they are (supertest would re-encode a Buffer given with a JSON type). */
const sendBytes = (method: string, path: string, body: Buffer) =>
  fetch(`${harness.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });

beforeAll(async () => {
  harness = await startTracker('tracker_hostile', PORT);
  tenant = await seedTenant(harness.db, `hostile-${process.pid}`);
  key = await seedKey(harness.db, tenant, ['tenant-admin'], 'hostile-admin');
}, 60_000);

afterAll(async () => {
  if (process.env.TRACKER_E2E_LOGS) console.log(harness?.process.output());
  await harness?.stop();
});

describe('tracker: hostile text (finding 5)', () => {
  let rigId = '';
  let streamId = '';

  beforeAll(async () => {
    const rig = await as()
      .post('/v1/rigs')
      .send({ name: 'text-rig', cameras: [camera('c0')] })
      .expect(201);
    rigId = (rig.body as { id: string }).id;
    const stream = await as()
      .post('/v1/streams')
      .send({ name: 'text-stream', rigId, grid: { origin: [0, 0, 0], dims: [8, 8, 8], voxelSize: 0.5 } })
      .expect(201);
    streamId = (stream.body as { id: string }).id;
  });

  const names = async () =>
    (
      await harness.db.query<{ name: string }>(
        `SELECT name FROM rigs UNION ALL SELECT name FROM tracking_streams ORDER BY 1`,
      )
    ).rows;

  it.each([
    [
      'POST /v1/rigs',
      () => as().post('/v1/rigs'),
      '{"name":"a\\u0000b","cameras":[CAM]}',
      /name must not contain NUL/,
    ],
    [
      'POST /v1/rigs',
      () => as().post('/v1/rigs'),
      '{"name":"a\\ud800","cameras":[CAM]}',
      /name must not contain unpaired/,
    ],
    [
      'POST /v1/rigs (camera id)',
      () => as().post('/v1/rigs'),
      '{"name":"ok","cameras":[{"id":"\\udc00","width":64,"height":48,"intrinsics":{"fx":50,"fy":50,"cx":32,"cy":24},"position":[0,0,5]}]}',
      /cameras\[0\]\.id must not contain unpaired/,
    ],
    [
      'POST /v1/rigs/import',
      () => as().post('/v1/rigs/import'),
      '{"name":"x\\u0000","metadata":[],"resolution":{"width":64,"height":48}}',
      /name must not contain NUL/,
    ],
    [
      'PATCH /v1/rigs/:id',
      () => as().patch(`/v1/rigs/${rigId}`),
      '{"name":"\\ud800x"}',
      /name must not contain unpaired/,
    ],
    [
      'PATCH /v1/streams/:id',
      () => as().patch(`/v1/streams/${streamId}`),
      '{"name":"s\\u0000"}',
      /name must not contain NUL/,
    ],
  ])(
    '%s refuses text Postgres cannot store with a 400 naming the field',
    async (_name, start, body, reason) => {
      const before = await names();
      const sent = body.replace('CAM', JSON.stringify(camera('c0')));
      const answer = await start().set('content-type', 'application/json').send(sent);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body.message)).toMatch(reason);
      expect(await names()).toEqual(before);
    },
  );

  it('refuses a body that is not valid UTF-8 (an overlong encoding) instead of storing U+FFFD', async () => {
    const before = await names();
    const overlong = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
    const answer = await sendBytes('PATCH', `/v1/rigs/${rigId}`, overlong);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toMatch(/UTF-8/);
    expect(await names()).toEqual(before);
  });
});

/** A tenant's audit chain as Postgres returns it, verified link by link. */
async function verifyTenantChain(chain: string) {
  const { rows } = await harness.db.query<Record<string, unknown>>(
    `SELECT chain, chain_seq, at, tenant_id, actor_id, actor_type, actor_roles, source_ip, request_id, trace_id,
            action, resource_type, resource_id, outcome, reason, diff, prev_hash, hash
       FROM audit_log WHERE chain = $1 ORDER BY chain_seq`,
    [chain],
  );
  const entries = rows.map(
    (row) =>
      ({
        chain: row['chain'],
        chainSeq: row['chain_seq'],
        at: row['at'],
        tenantId: row['tenant_id'],
        actor: { id: row['actor_id'], type: row['actor_type'], roles: row['actor_roles'] },
        sourceIp: row['source_ip'],
        requestId: row['request_id'],
        traceId: row['trace_id'],
        action: row['action'],
        resource: { type: row['resource_type'], id: row['resource_id'] },
        outcome: row['outcome'],
        reason: row['reason'],
        diff: row['diff'],
        prevHash: row['prev_hash'],
        hash: row['hash'],
      }) as StoredAuditEntry,
  );
  return { entries, result: verifyChain(entries) };
}

function connect(token: string): Socket {
  return io(`${harness.url}/tracks`, { transports: ['websocket'], auth: { token }, reconnection: false });
}

describe('tracker: hostile text on sockets (findings 5 and 6)', () => {
  it('a subscribe with NUL or an unpaired surrogate in streamId is refused naming the field, and the chain verifies', async () => {
    const socket = connect(key);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    try {
      for (const streamId of ['\ud800probe', 'nul\u0000probe']) {
        const reply = (await socket.timeout(10_000).emitWithAck('subscribe', { streamId })) as {
          ok: boolean;
          error?: string;
        };
        expect(reply.ok).toBe(false);
        expect(reply.error).toMatch(/^streamId must not contain/);
      }
    } finally {
      socket.close();
    }
    const { entries, result } = await verifyTenantChain(tenant);
    expect(entries.length).toBeGreaterThan(0);
    expect(result).toMatchObject({ ok: true });
  });
});

describe('tracker: rate limits on REST routes and socket events (finding 8)', () => {
  it('gives each key the gateway budget per route and per event, and answers 429 past it', async () => {
    const limited = await harness.startSibling(PORT + 1, { RATE_LIMIT_PER_WINDOW: '5' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      statuses.push((await request(limited).get('/v1/rigs').set('authorization', `Bearer ${key}`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const socket = io(`${limited}/tracks`, {
      transports: ['websocket'],
      auth: { token: key },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    try {
      const replies: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const reply = (await socket.timeout(10_000).emitWithAck('subscribe', { streamId: 'no-such' })) as {
          error?: string;
        };
        replies.push(/too many requests/.test(reply.error ?? '') ? 'limited' : 'answered');
      }
      expect(replies).toEqual([
        'answered',
        'answered',
        'answered',
        'answered',
        'answered',
        'limited',
        'limited',
      ]);
    } finally {
      socket.close();
    }
  });

  it('refuses a key in the Authorization header without the Bearer scheme', async () => {
    await request(harness.url).get('/v1/rigs').set('authorization', key).expect(401);
    await request(harness.url).get('/v1/rigs').set('authorization', `Bearer ${key}`).expect(200);
  });
});

describe('tracker: frame times (finding 4)', () => {
  it('refuses t = 1e308 and jumps of more than a day without wedging the stream, and a reset starts its time over', async () => {
    const rig = await as()
      .post('/v1/rigs')
      .send({ name: 'time-rig', cameras: [camera('c0')] })
      .expect(201);
    const stream = await as()
      .post('/v1/streams')
      .send({
        name: 'time-stream',
        rigId: (rig.body as { id: string }).id,
        grid: { origin: [0, 0, 0], dims: [8, 8, 8], voxelSize: 0.5 },
      })
      .expect(201);
    const id = (stream.body as { id: string }).id;
    await as().post(`/v1/streams/${id}/start`).expect(200);
    const frame = (t: number) =>
      as()
        .post(`/v1/streams/${id}/frames`)
        .send({ t, cameras: [null] });

    await frame(1).expect(200);
    const huge = await frame(1e308).expect(400);
    expect(JSON.stringify(huge.body)).toMatch(/t: must be a number of seconds/);
    await frame(2).expect(200);
    const jump = await frame(2 + 90_000).expect(400);
    expect(JSON.stringify(jump.body)).toMatch(/reset the stream/);
    await frame(3).expect(200);

    await frame(1).expect(400);
    const reset = await as().post(`/v1/streams/${id}/reset`).expect(200);
    expect((reset.body as { state: string }).state).toBe('running');
    await frame(0.5).expect(200);
    const audited = await harness.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'stream.reset' AND resource_id = $1`,
      [id],
    );
    expect(audited.rowCount).toBe(1);
  });
});

describe('tracker: live sockets answer to their key (finding 1)', () => {
  let sibling = '';

  beforeAll(async () => {
    sibling = await harness.startSibling(PORT + 2);
  });

  /** A fresh tenant and key, with the ids a revocation needs. */
  async function keyOfItsOwn(label: string) {
    const tenantId = await seedTenant(harness.db, `${label}-${process.pid}`);
    const secret = await seedKey(harness.db, tenantId, ['tenant-member'], label);
    const prefix = /^vf_([a-z0-9]{10})_/.exec(secret)?.[1];
    const { rows } = await harness.db.query<{ key_id: string; principal_id: string }>(
      `SELECT id AS key_id, principal_id FROM api_keys WHERE prefix = $1`,
      [prefix],
    );
    return { tenantId, secret, keyId: rows[0]?.key_id ?? '', principalId: rows[0]?.principal_id ?? '' };
  }

  async function open(url: string, token: string) {
    const socket = io(`${url}/tracks`, { transports: ['websocket'], auth: { token }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const errors: { code: string; message: string }[] = [];
    socket.on('stream.error', (e: { code: string; message: string }) => errors.push(e));
    const closed = new Promise<number>((resolve) => {
      const started = Date.now();
      socket.once('disconnect', () => resolve(Date.now() - started));
    });
    return { socket, errors, closed };
  }

  const within = <T>(promise: Promise<T>, ms: number) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms)),
    ]);

  it.each([
    ['a revoked key', `UPDATE api_keys SET revoked_at = now() WHERE id = $1`, 'keyId', /API key revoked/],
    [
      'a disabled principal',
      `UPDATE principals SET disabled_at = now() WHERE id = $1`,
      'principalId',
      /disabled/,
    ],
    ['a suspended tenant', `UPDATE tenants SET status = 'suspended' WHERE id = $1`, 'tenantId', /suspended/],
    [
      'a removed permission',
      `UPDATE principals SET roles = '{}' WHERE id = $1`,
      'principalId',
      /read:streams/,
    ],
  ] as const)('ends the sockets of %s on every instance, audited', async (label, sql, idOf, reason) => {
    const key = await keyOfItsOwn(label.replace(/ /g, '-'));
    const here = await open(harness.url, key.secret);
    const there = await open(sibling, key.secret);
    await harness.db.query(sql, [key[idOf]]);
    // The key cache's time (2 s) plus one re-check.
    await within(Promise.all([here.closed, there.closed]), 8_000);
    for (const side of [here, there]) {
      expect(side.errors.map((e) => e.code)).toContain('session_ended');
      expect(side.errors.find((e) => e.code === 'session_ended')?.message).toMatch(reason);
    }
    // Each instance audits the socket it ended, just after closing it.
    const endedEntries = async () =>
      (
        await harness.db.query<{ reason: string }>(
          `SELECT reason FROM audit_log WHERE resource_type = 'socket' AND actor_id = $1 AND outcome = 'denied'`,
          [key.principalId],
        )
      ).rows.filter((r) => /live session ended/.test(r.reason)).length;
    const deadline = Date.now() + 5_000;
    while ((await endedEntries()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await endedEntries()).toBe(2);
    // It cannot come straight back either.
    const again = io(`${harness.url}/tracks`, {
      transports: ['websocket'],
      auth: { token: key.secret },
      reconnection: false,
    });
    const refused = await new Promise<string>((resolve) => {
      again.once('connect', () => resolve('connected'));
      again.once('connect_error', (error: Error) => resolve(error.message));
    });
    again.close();
    expect(refused).not.toBe('connected');
  });
});
