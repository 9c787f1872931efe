import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditWriter } from '@voxelfleet/audit';
import { createDataSource } from '@voxelfleet/persistence';
import { statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { seedPrincipal, seedTenant, startGateway, type GatewayHarness } from './support/gateway-harness.js';

/**
 * Findings of an outside probe of the gateway (hostile bodies, auth edge cases), each pinned
 * by the request that showed it: refused requests change nothing.
 */
describe('gateway: hostile input', () => {
  let gw: GatewayHarness;
  let admin: string;
  let tenant: string;
  let member: { id: string; key: string };

  beforeAll(async () => {
    gw = await startGateway('gw_hostile', 4360);
    admin = (await seedPrincipal(gw.db, { tenantId: null, roles: ['platform-admin'], name: 'root' })).key;
    tenant = await seedTenant(gw.db, 'hostile-co', 'pro');
    member = await seedPrincipal(gw.db, { tenantId: tenant, roles: ['tenant-member'], name: 'member' });
  });

  afterAll(async () => {
    await gw.stop();
  });

  const quotaOf = async (id: string) =>
    (await gw.db.query<{ quota: unknown }>(`SELECT quota FROM tenants WHERE id = $1`, [id])).rows[0]?.quota;
  const keyCount = async (principalId: string) =>
    Number(
      (
        await gw.db.query<{ n: string }>(`SELECT count(*) AS n FROM api_keys WHERE principal_id = $1`, [
          principalId,
        ])
      ).rows[0]?.n,
    );

  describe('body contract (finding 3)', () => {
    it('refuses a JSON route body sent as text/plain with 415 and changes nothing', async () => {
      await request(gw.url)
        .put(`/admin/tenants/${tenant}/quota`)
        .set('authorization', `Bearer ${admin}`)
        .send({ concurrentJobs: 3 })
        .expect(200);
      const before = await quotaOf(tenant);
      const refused = await request(gw.url)
        .put(`/admin/tenants/${tenant}/quota`)
        .set('authorization', `Bearer ${admin}`)
        .set('content-type', 'text/plain')
        .send('{"gpus":1}')
        .expect(415);
      expect(refused.body.message).toMatch(/content-type must be application\/json/);
      expect(await quotaOf(tenant)).toEqual(before);
    });

    it('refuses an empty body on a route that needs one with 400 and changes nothing', async () => {
      const before = await quotaOf(tenant);
      const refused = await request(gw.url)
        .put(`/admin/tenants/${tenant}/quota`)
        .set('authorization', `Bearer ${admin}`)
        .expect(400);
      expect(JSON.stringify(refused.body.message)).toMatch(/body is required/);
      // An empty body declared as JSON is no body either.
      await request(gw.url)
        .put(`/admin/tenants/${tenant}/quota`)
        .set('authorization', `Bearer ${admin}`)
        .set('content-type', 'application/json')
        .send('')
        .expect(400);
      expect(await quotaOf(tenant)).toEqual(before);
    });

    it('creates no key from a text/plain body', async () => {
      const before = await keyCount(member.id);
      await request(gw.url)
        .post(`/admin/principals/${member.id}/keys`)
        .set('authorization', `Bearer ${admin}`)
        .set('content-type', 'text/plain')
        .send('{}')
        .expect(415);
      await request(gw.url)
        .post(`/admin/principals/${member.id}/keys`)
        .set('authorization', `Bearer ${admin}`)
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('label=x')
        .expect(415);
      expect(await keyCount(member.id)).toBe(before);
    });

    it('still takes no body where the body is only an optional reason', async () => {
      await request(gw.url)
        .post(`/admin/tenants/${tenant}/resume`)
        .set('authorization', `Bearer ${admin}`)
        .expect(200);
    });
  });

  describe('text Postgres cannot store (finding 5)', () => {
    const tenantRow = async (id: string) =>
      (await gw.db.query(`SELECT name, status, quota FROM tenants WHERE id = $1`, [id])).rows[0] as unknown;
    const tenantCount = async () =>
      Number((await gw.db.query<{ n: string }>(`SELECT count(*) AS n FROM tenants`)).rows[0]?.n);

    it.each([
      ['suspend', '{"reason":"maintenance\\u0000"}', /reason must not contain NUL/],
      ['suspend', '{"reason":"\\ud800 window"}', /reason must not contain unpaired/],
      ['resume', '{"reason":"back\\udfff"}', /reason must not contain unpaired/],
    ])('POST /admin/tenants/:id/%s with %s is a 400 naming the field', async (action, body, reason) => {
      const before = await tenantRow(tenant);
      const answer = await request(gw.url)
        .post(`/admin/tenants/${tenant}/${action}`)
        .set('authorization', `Bearer ${admin}`)
        .set('content-type', 'application/json')
        .send(body);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body.message)).toMatch(reason);
      expect(await tenantRow(tenant)).toEqual(before);
    });

    it('refuses such text in any string field, nested or a key, and creates nothing', async () => {
      const before = await tenantCount();
      for (const body of [
        '{"name":"nul\\u0000co"}',
        '{"name":"ok-co","quota":{"gpus\\u0000":1}}',
        '{"name":"\\ud83c-half-an-emoji"}',
      ]) {
        const answer = await request(gw.url)
          .post('/admin/tenants')
          .set('authorization', `Bearer ${admin}`)
          .set('content-type', 'application/json')
          .send(body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
        expect(answer.body.errorId).toBeUndefined();
      }
      expect(await tenantCount()).toBe(before);
    });
  });

  describe('audit chains (finding 6)', () => {
    const verify = async (chain: string) =>
      (
        await request(gw.url)
          .get(`/admin/audit/verify?chain=${chain}`)
          .set('authorization', `Bearer ${admin}`)
          .expect(200)
      ).body as {
        ok: boolean;
        chains: { result: { ok: boolean; breaks?: { seq: number; reason: string }[] } }[];
      };

    it('hashes exactly what Postgres stores: NUL and unpaired surrogates in an entry leave the chain verifiable', async () => {
      const chainTenant = await seedTenant(gw.db, 'audit-text-co', 'pro');
      const dataSource = createDataSource({ url: gw.databaseUrl });
      await dataSource.initialize();
      try {
        await dataSource.transaction((manager) =>
          new AuditWriter().append(manager, {
            tenantId: chainTenant,
            actor: { id: null, type: 'system', roles: [] },
            action: 'read:streams',
            resource: { type: 'stream', id: '\ud800probe' },
            outcome: 'denied',
            reason: '404: nul \u0000 and \udc00',
            diff: { ['name\ud83d']: { before: null, after: 'v\u0000 🎥' } },
          }),
        );
      } finally {
        await dataSource.destroy();
      }
      const stored = await gw.db.query<{ resource_id: string; reason: string }>(
        `SELECT resource_id, reason FROM audit_log WHERE chain = $1`,
        [chainTenant],
      );
      expect(stored.rows).toEqual([{ resource_id: '\ufffdprobe', reason: '404: nul \ufffd and \ufffd' }]);
      expect(await verify(chainTenant)).toMatchObject({ ok: true });
    });

    it('reports every broken link, so a first break cannot hide a later one', async () => {
      const id = (
        await request(gw.url)
          .post('/admin/tenants')
          .set('authorization', `Bearer ${admin}`)
          .send({ name: 'audit-breaks-co' })
          .expect(201)
      ).body.id as string;
      for (const weight of [2, 3, 4]) {
        await request(gw.url)
          .patch(`/admin/tenants/${id}`)
          .set('authorization', `Bearer ${admin}`)
          .send({ weight })
          .expect(200);
      }
      await gw.db.query(`SET session_replication_role = replica`);
      await gw.db.query(`UPDATE audit_log SET reason = 'edited' WHERE chain = $1 AND chain_seq IN (2, 4)`, [
        id,
      ]);
      await gw.db.query(`SET session_replication_role = DEFAULT`);
      const report = await verify(id);
      expect(report.ok).toBe(false);
      expect(report.chains[0]?.result.breaks?.map((b) => [b.seq, b.reason])).toEqual([
        [2, 'hash-mismatch'],
        [4, 'hash-mismatch'],
      ]);
    });
  });

  describe('auth edge cases (finding 2)', () => {
    /** A GET from another loopback address, as a second machine would send it. */
    const getFrom = (localAddress: string, url: string, authorization: string) =>
      new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
        const call = httpRequest(url, { localAddress, headers: { authorization } }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
        });
        call.on('error', reject);
        call.end();
      });

    it('wrong secrets under a victim key prefix never spend that key budget; their source is limited instead', async () => {
      await gw.startSibling(4361, { RATE_LIMIT_PER_WINDOW: '5', RATE_LIMIT_WINDOW_MS: '60000' });
      const limited = 'http://127.0.0.1:4361';
      const victim = await seedPrincipal(gw.db, {
        tenantId: tenant,
        roles: ['tenant-member'],
        name: 'victim',
      });
      const prefix = /^vf_([a-z0-9]{10})_/.exec(victim.key)?.[1] ?? '';
      const forged = `Bearer vf_${prefix}_${'A'.repeat(43)}`;
      const attacker: number[] = [];
      for (let i = 0; i < 12; i += 1)
        attacker.push((await getFrom('127.0.0.2', `${limited}/v1/me`, forged)).status);
      // The first failures are 401; once its own budget is gone the attacker's address gets 429.
      expect(attacker.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(attacker.slice(-3)).toEqual([429, 429, 429]);
      const real = await getFrom('127.0.0.1', `${limited}/v1/me`, `Bearer ${victim.key}`);
      expect(real.status).toBe(200);
      expect(real.headers['x-ratelimit-remaining']).toBe('4');
    });
  });

  describe('smaller findings (finding 8)', () => {
    it('refuses a key in the Authorization header without the Bearer scheme', async () => {
      const bare = await request(gw.url).get('/v1/me').set('authorization', member.key).expect(401);
      expect(bare.body.message).toMatch(/Bearer/);
      await request(gw.url).get('/v1/me').set('authorization', `bearer ${member.key}`).expect(200);
    });

    it('refuses job inputs nested 200 deep at submission, naming the field, and stores no job', async () => {
      const jobs = async () =>
        Number(
          (await gw.db.query<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE tenant_id = $1`, [tenant]))
            .rows[0]?.n,
        );
      const before = await jobs();
      let deep: unknown = 1;
      for (let i = 0; i < 200; i += 1) deep = { a: deep };
      const answer = await request(gw.url)
        .post('/v1/jobs')
        .set('authorization', `Bearer ${member.key}`)
        .send({ kernel: 'noop', priority: 'normal', vramBytes: 2 ** 30, inputs: { x: deep } });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body.message)).toMatch(
        /inputs\.x(\.a)+ must not nest deeper than 32 levels/,
      );
      expect(await jobs()).toBe(before);
    });
  });
});

describe('gateway: tamper-evident tail by default (finding 7)', () => {
  let tail: GatewayHarness;
  let admin: string;

  beforeAll(async () => {
    tail = await startGateway(
      'gw_tail',
      4362,
      { AUDIT_CHECKPOINT_INTERVAL_MS: '300' },
      { generatedAuditKey: true },
    );
    admin = (await seedPrincipal(tail.db, { tenantId: null, roles: ['platform-admin'], name: 'root' })).key;
  });

  afterAll(async () => {
    await tail.stop();
  });

  const eventually = async <T>(
    read: () => Promise<T>,
    done: (value: T) => boolean,
    ms = 10_000,
  ): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('signs chain heads with a key made on the first start, so a row cut off the tail is caught', async () => {
    const keyFile = statSync(join(tail.auditDir, 'audit-signing-key.pem'));
    expect(keyFile.mode & 0o777).toBe(0o600);
    const id = (
      await request(tail.url)
        .post('/admin/tenants')
        .set('authorization', `Bearer ${admin}`)
        .send({ name: 'tail-co' })
        .expect(201)
    ).body.id as string;
    await request(tail.url)
      .patch(`/admin/tenants/${id}`)
      .set('authorization', `Bearer ${admin}`)
      .send({ weight: 3 })
      .expect(200);
    const signedSeq = async () =>
      Number(
        (
          await tail.db.query<{ n: string | null }>(
            `SELECT max(chain_seq) AS n FROM audit_checkpoints WHERE chain = $1`,
            [id],
          )
        ).rows[0]?.n ?? 0,
      );
    expect(await eventually(signedSeq, (n) => n >= 2)).toBe(2);
    const verify = async () =>
      (
        await request(tail.url)
          .get(`/admin/audit/verify?chain=${id}`)
          .set('authorization', `Bearer ${admin}`)
          .expect(200)
      ).body as { ok: boolean; checkpointsTrusted: boolean; chains: { result: { reason?: string } }[] };
    expect(await verify()).toMatchObject({ ok: true, checkpointsTrusted: true });

    // A superuser cuts the last row, and the checkpoints that cover it, with the trigger off.
    await tail.db.query(`SET session_replication_role = replica`);
    await tail.db.query(`DELETE FROM audit_log WHERE chain = $1 AND chain_seq = 2`, [id]);
    await tail.db.query(`DELETE FROM audit_checkpoints WHERE chain = $1`, [id]);
    await tail.db.query(`SET session_replication_role = DEFAULT`);
    const cut = await verify();
    expect(cut.ok).toBe(false);
    expect(cut.chains[0]?.result.reason).toBe('truncated');

    // The checkpoint run notices it too, without anyone asking: a metric to alert on.
    const broken = async () => {
      const text = (await request(tail.url).get('/metrics').expect(200)).text;
      return Number(/^voxelfleet_audit_chains_broken(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
    };
    expect(await eventually(broken, (n) => n >= 1)).toBeGreaterThanOrEqual(1);
  });
});
