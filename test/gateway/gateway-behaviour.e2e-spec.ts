import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { SpawnedApp } from '../support/spawned-app.js';
import { signedKernelBody } from './support/kernel-fixture.js';
import {
  heartbeat,
  seedPrincipal,
  seedTenant,
  startGateway,
  type GatewayHarness,
} from './support/gateway-harness.js';

const GiB = 2 ** 30;

describe('gateway behaviour', () => {
  let gw: GatewayHarness;
  let admin: string;
  let operator: string;
  let tenantA: string;
  let memberA: { id: string; key: string };
  let adminA: string;

  const as = (key: string) => ({
    get: (path: string) => request(gw.url).get(path).set('authorization', `Bearer ${key}`),
    post: (path: string, body?: object) =>
      request(gw.url).post(path).set('authorization', `Bearer ${key}`).send(body),
    put: (path: string, body?: object) =>
      request(gw.url).put(path).set('authorization', `Bearer ${key}`).send(body),
    patch: (path: string, body?: object) =>
      request(gw.url).patch(path).set('authorization', `Bearer ${key}`).send(body),
    delete: (path: string) => request(gw.url).delete(path).set('authorization', `Bearer ${key}`),
  });

  beforeAll(async () => {
    gw = await startGateway('gw_behaviour', 4301);
    admin = (await seedPrincipal(gw.db, { tenantId: null, roles: ['platform-admin'], name: 'root' })).key;
    operator = (await seedPrincipal(gw.db, { tenantId: null, roles: ['operator'], name: 'ops' })).key;
    tenantA = await seedTenant(gw.db, 'beh-a', 'pro');
    memberA = await seedPrincipal(gw.db, { tenantId: tenantA, roles: ['tenant-member'], name: 'member' });
    adminA = (await seedPrincipal(gw.db, { tenantId: tenantA, roles: ['tenant-admin'], name: 'tadmin' })).key;
  });

  afterAll(async () => {
    await gw.stop();
  });

  describe('tenants, editions and quotas', () => {
    it('applies the edition defaults and lets a tenant override within the ceiling', async () => {
      const created = await as(admin)
        .post('/admin/tenants', { name: 'quota-co', edition: 'community' })
        .expect(201);
      expect(created.body.limits.gpus).toBe(1);
      expect(created.body.features.multiGpu).toBe(false);
      const raised = await as(admin)
        .put(`/admin/tenants/${created.body.id}/quota`, { concurrentJobs: 3 })
        .expect(200);
      expect(raised.body.limits.concurrentJobs).toBe(3);
      const entriesBefore = await gw.db.query(`SELECT count(*)::int AS n FROM audit_log`);
      const tooMuch = await as(admin).put(`/admin/tenants/${created.body.id}/quota`, { gpus: 4 }).expect(422);
      // The refused change rolled back, and so did any entry for it.
      const entriesAfter = await gw.db.query(`SELECT count(*)::int AS n FROM audit_log`);
      expect(entriesAfter.rows[0].n).toBe(entriesBefore.rows[0].n);
      expect(tooMuch.body.message).toContain('quota.gpus: 4 exceeds the edition ceiling 1');
      const after = await as(admin).get(`/admin/tenants/${created.body.id}`).expect(200);
      expect(after.body.quotaOverrides).toEqual({ concurrentJobs: 3 });
      const entries = await as(admin)
        .get(`/admin/audit?tenantId=${created.body.id}&action=tenant.quota.set`)
        .expect(200);
      expect(entries.body.entries).toHaveLength(1);
      expect(entries.body.entries[0].diff).toEqual({ 'quota.concurrentJobs': { after: 3 } });
    });

    it('refuses an unknown edition and a taken name, changing nothing', async () => {
      const before = await gw.db.query('SELECT count(*)::int AS n FROM tenants');
      const edition = await as(admin)
        .post('/admin/tenants', { name: 'x-co', edition: 'platinum' })
        .expect(422);
      expect(edition.body.message).toMatch(/^edition: 'platinum' is not one of/);
      await as(admin).post('/admin/tenants', { name: 'beh-a' }).expect(409);
      const after = await gw.db.query('SELECT count(*)::int AS n FROM tenants');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('suspends and resumes with the change in the audit diff', async () => {
      const suspended = await as(admin)
        .post(`/admin/tenants/${tenantA}/suspend`, { reason: 'unpaid' })
        .expect(200);
      expect(suspended.body.suspended).toBe(true);
      const simulated = await as(memberA.key)
        .post('/admin/gpu/simulate', { vramBytesPerDevice: GiB, gpus: 1, priority: 'normal' })
        .expect(200);
      expect(simulated.body.outcome).toBe('rejected');
      expect(simulated.body.rejection.code).toBe('tenant-suspended');
      await as(admin).post(`/admin/tenants/${tenantA}/resume`).expect(200);
      const log = await as(admin).get(`/admin/audit?tenantId=${tenantA}&action=tenant.suspend`).expect(200);
      expect(log.body.entries[0]).toMatchObject({
        reason: 'unpaid',
        diff: { status: { before: 'active', after: 'suspended' } },
        actor: { type: 'service', roles: ['platform-admin'] },
      });
    });

    it('shows the caller its limits, usage from running jobs and headroom', async () => {
      await as(admin)
        .put(`/admin/tenants/${tenantA}/quota`, { vramBytesTotal: 100 * GiB })
        .expect(200);
      await gw.transport.publish(
        'node.heartbeat',
        heartbeat('quota-node', { byTenant: { [tenantA]: 30 * GiB } }),
      );
      // A running job of the tenant holding 15 GiB on each of two devices, moved through the
      // job state machine as the scheduler would.
      const { rows } = await gw.db.query<{ id: string }>(
        `INSERT INTO jobs (tenant_id, kernel, vram_bytes, gpus, priority, estimated_duration_ms)
         VALUES ($1, '{"name":"noop"}', $2, 2, 'normal', 60000) RETURNING id`,
        [tenantA, 15 * GiB],
      );
      await gw.db.query(
        `UPDATE jobs SET state = 'placed', node_id = 'quota-node', device_ids = '{0,1}', placed_at = now() WHERE id = $1`,
        [rows[0]?.id],
      );
      await gw.db.query(`UPDATE jobs SET state = 'running', started_at = now() WHERE id = $1`, [rows[0]?.id]);
      await eventually(async () => {
        const quota = await as(memberA.key).get('/v1/quota').expect(200);
        const vram = list<{ quota: string }>(quota.body.quotas).find((q) => q.quota === 'vramBytesTotal');
        expect(vram).toEqual({
          quota: 'vramBytesTotal',
          limit: 100 * GiB,
          source: 'tenant',
          used: 30 * GiB,
          headroom: 70 * GiB,
        });
        const used = Object.fromEntries(
          list<{ quota: string; used: number }>(quota.body.quotas).map((q) => [q.quota, q.used]),
        );
        expect(used).toMatchObject({ gpus: 2, concurrentJobs: 1, jobsPerMinute: 1, gpuSecondsPerDay: 120 });
      });
      await as(admin).get('/v1/quota').expect(400);
      const tenants = await as(operator).get('/admin/gpu/tenants').expect(200);
      expect(tenants.body.topConsumers.vramBytes[0]).toMatchObject({ tenantId: tenantA, value: 30 * GiB });
      // What the node reports held in its pool, beside what admission counts.
      await eventually(async () => {
        const held = await as(operator).get('/admin/gpu/tenants').expect(200);
        const row = list<{ tenantId: string; heldOnDevices: unknown }>(held.body.tenants).find(
          (t) => t.tenantId === tenantA,
        );
        expect(row?.heldOnDevices).toEqual({ vramBytes: 30 * GiB, devices: 1 });
      });
    });
  });

  describe('simulate', () => {
    it('says where a fitting job would go and what blocks one that does not fit', async () => {
      await gw.transport.publish('node.heartbeat', heartbeat('sim-node', { devices: 2 }));
      await eventually(async () => {
        const fits = await as(memberA.key)
          .post('/admin/gpu/simulate', { vramBytesPerDevice: 8 * GiB, gpus: 1, priority: 'normal' })
          .expect(200);
        expect(fits.body).toMatchObject({ dryRun: true, outcome: 'would-start', admitted: true });
        expect(fits.body.placement.nodeId).toMatch(/node/);
        expect(fits.body.changesNothing).toMatch(/dry run/);
      });
      // Over the tenant's own quota: rejected at once, naming the quota.
      const overQuota = await as(memberA.key)
        .post('/admin/gpu/simulate', { vramBytesPerDevice: 70 * GiB, gpus: 1, priority: 'normal' })
        .expect(200);
      expect(overQuota.body.admitted).toBe(false);
      expect(JSON.stringify(overQuota.body)).toMatch(/vramBytesPerDevice|vram/i);
      const jobsBefore = await gw.db.query(`SELECT count(*)::int AS n FROM audit_log`);
      // A platform caller names the tenant; nothing is stored by a simulation.
      await as(operator)
        .post('/admin/gpu/simulate', {
          tenantId: tenantA,
          vramBytesPerDevice: GiB,
          gpus: 1,
          priority: 'high',
        })
        .expect(200);
      const jobsAfter = await gw.db.query(`SELECT count(*)::int AS n FROM audit_log`);
      expect(jobsAfter.rows[0].n).toBe(jobsBefore.rows[0].n);
    });

    it('reports quota and capacity blockers with their shortfall', async () => {
      // 30 GiB of the tenant's VRAM is held on quota-node (see above); allow 100 GiB in total.
      await as(admin)
        .put(`/admin/tenants/${tenantA}/quota`, { gpus: 8, vramBytesTotal: 100 * GiB })
        .expect(200);
      const overHeadroom = await as(memberA.key)
        .post('/admin/gpu/simulate', { vramBytesPerDevice: 40 * GiB, gpus: 2, priority: 'normal' })
        .expect(200);
      expect(overHeadroom.body).toMatchObject({ outcome: 'would-wait', admitted: false });
      expect(overHeadroom.body.blockers).toContainEqual(
        expect.objectContaining({ kind: 'quota', quota: 'vramBytesTotal', shortfall: 10 * GiB }),
      );

      // A node whose devices are nearly full: 20 GiB fits a device, but not now.
      const busy = heartbeat('busy-node', { devices: 2 });
      for (const device of busy.devices) {
        device.memoryFreeBytes = 6 * GiB;
        if (device.pool) device.pool.allocatedBytes = 70 * GiB;
      }
      await gw.transport.publish('node.heartbeat', busy);
      await eventually(async () => {
        const blocked = await as(memberA.key)
          .post('/admin/gpu/simulate', {
            vramBytesPerDevice: 20 * GiB,
            gpus: 1,
            priority: 'normal',
            affinity: { nodeId: 'busy-node' },
          })
          .expect(200);
        expect(blocked.body).toMatchObject({ outcome: 'would-wait', admitted: true, placement: null });
        expect(blocked.body.blockers).toContainEqual(
          expect.objectContaining({ kind: 'capacity', resource: 'device-vram', shortfall: 14 * GiB }),
        );
      });
    });

    it('names the running jobs a realtime job would preempt', async () => {
      const victimTenant = await seedTenant(gw.db, 'victim-co', 'pro');
      const full = heartbeat('pre-node', { devices: 1 });
      const device = full.devices[0];
      if (device?.pool) {
        device.pool.allocatedBytes = 70 * GiB;
        device.memoryFreeBytes = 10 * GiB;
      }
      await gw.transport.publish('node.heartbeat', full);
      const { rows } = await gw.db.query<{ id: string }>(
        `INSERT INTO jobs (tenant_id, kernel, vram_bytes, gpus, priority, preemptible)
         VALUES ($1, '{"name":"noop"}', $2, 1, 'background', true) RETURNING id`,
        [victimTenant, 70 * GiB],
      );
      const victim = rows[0]?.id;
      await gw.db.query(
        `UPDATE jobs SET state = 'placed', node_id = 'pre-node', device_ids = '{0}', placed_at = now() - interval '1 hour'
          WHERE id = $1`,
        [victim],
      );
      await gw.db.query(
        `UPDATE jobs SET state = 'running', started_at = now() - interval '1 hour' WHERE id = $1`,
        [victim],
      );
      await eventually(async () => {
        const answer = await as(memberA.key)
          .post('/admin/gpu/simulate', {
            vramBytesPerDevice: 20 * GiB,
            gpus: 1,
            priority: 'realtime',
            affinity: { nodeId: 'pre-node' },
          })
          .expect(200);
        expect(answer.body).toMatchObject({
          outcome: 'would-preempt',
          admitted: true,
          placement: { nodeId: 'pre-node' },
        });
        expect(answer.body.preempted).toContainEqual(expect.objectContaining({ jobId: victim }));
      });
      // Nothing was preempted for real.
      const { rows: after } = await gw.db.query(`SELECT state FROM jobs WHERE id = $1`, [victim]);
      expect(after).toEqual([{ state: 'running' }]);
    });
  });

  describe('audit chain', () => {
    it('verifies, then catches an edited row and a deleted row', async () => {
      const tenant = (await as(admin).post('/admin/tenants', { name: 'audit-co' }).expect(201)).body
        .id as string;
      for (const weight of [2, 3, 4])
        await as(admin).patch(`/admin/tenants/${tenant}`, { weight }).expect(200);
      const clean = await as(admin).get(`/admin/audit/verify?chain=${tenant}`).expect(200);
      expect(clean.body.ok).toBe(true);
      expect(clean.body.chains[0].result).toMatchObject({ ok: true, checked: 4 });

      // Append-only: an ordinary UPDATE is refused by the trigger.
      await expect(
        gw.db.query(`UPDATE audit_log SET reason = 'x' WHERE chain = $1`, [tenant]),
      ).rejects.toThrow(/append-only/);
      // A superuser bypasses the trigger and edits entry 2.
      await gw.db.query(`SET session_replication_role = replica`);
      await gw.db.query(
        `UPDATE audit_log SET diff = '{"weight":{"before":1,"after":9}}' WHERE chain = $1 AND chain_seq = 2`,
        [tenant],
      );
      await gw.db.query(`SET session_replication_role = DEFAULT`);
      const edited = await as(admin).get(`/admin/audit/verify?chain=${tenant}`).expect(200);
      expect(edited.body.ok).toBe(false);
      expect(edited.body.chains[0].result).toMatchObject({
        ok: false,
        firstBrokenSeq: 2,
        reason: 'hash-mismatch',
      });

      const other = (await as(admin).post('/admin/tenants', { name: 'audit-co-2' }).expect(201)).body
        .id as string;
      for (const weight of [2, 3]) await as(admin).patch(`/admin/tenants/${other}`, { weight }).expect(200);
      await gw.db.query(`SET session_replication_role = replica`);
      await gw.db.query(`DELETE FROM audit_log WHERE chain = $1 AND chain_seq = 2`, [other]);
      await gw.db.query(`SET session_replication_role = DEFAULT`);
      const deleted = await as(admin).get(`/admin/audit/verify?chain=${other}`).expect(200);
      expect(deleted.body.chains[0].result).toMatchObject({
        ok: false,
        firstBrokenSeq: 2,
        reason: 'seq-gap',
      });
      // Verifying every chain reports the broken ones too.
      const all = await as(admin).get('/admin/audit/verify').expect(200);
      expect(all.body.ok).toBe(false);
    });

    it('catches rows cut off the tail once a signed checkpoint covers them', async () => {
      const tenant = (await as(admin).post('/admin/tenants', { name: 'audit-tail' }).expect(201)).body
        .id as string;
      await as(admin).patch(`/admin/tenants/${tenant}`, { weight: 5 }).expect(200);
      // The checkpointer runs on a timer; sign the heads now as it would.
      const { AuditCheckpointer } = await import('@voxelfleet/audit');
      const { createDataSource } = await import('@voxelfleet/persistence');
      const dataSource = createDataSource({ url: gw.databaseUrl });
      await dataSource.initialize();
      try {
        expect(
          await new AuditCheckpointer(dataSource, gw.auditPrivateKeyPem).checkpointAll(),
        ).toBeGreaterThan(0);
      } finally {
        await dataSource.destroy();
      }
      expect((await as(admin).get(`/admin/audit/verify?chain=${tenant}`).expect(200)).body.ok).toBe(true);
      await gw.db.query(`SET session_replication_role = replica`);
      await gw.db.query(`DELETE FROM audit_log WHERE chain = $1 AND chain_seq = 2`, [tenant]);
      await gw.db.query(`SET session_replication_role = DEFAULT`);
      const cut = await as(admin).get(`/admin/audit/verify?chain=${tenant}`).expect(200);
      expect(cut.body.chains[0].result).toMatchObject({ ok: false, reason: 'truncated' });
    });

    it('pages with a cursor and exports NDJSON without secrets', async () => {
      const first = await as(admin).get('/admin/audit?limit=2').expect(200);
      expect(first.body.entries).toHaveLength(2);
      const second = await as(admin).get(`/admin/audit?limit=2&after=${first.body.nextCursor}`).expect(200);
      expect(Number(second.body.entries[0].seq)).toBeGreaterThan(Number(first.body.entries[1].seq));
      const key = await as(admin)
        .post(`/admin/principals/${memberA.id}/keys`, { label: 'exported?' })
        .expect(201);
      const exported = await as(admin).get('/admin/audit/export').expect(200);
      expect(exported.headers['content-type']).toMatch(/application\/x-ndjson/);
      const lines = exported.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { action: string });
      expect(lines.length).toBeGreaterThan(5);
      expect(exported.text).not.toContain(key.body.key);
      expect(lines.some((e: { action: string }) => e.action === 'key.create')).toBe(true);
    });
  });

  describe('keys and grants', () => {
    it('shows a key once, refuses it after revocation and after expiry', async () => {
      const created = await as(adminA)
        .post(`/admin/principals/${memberA.id}/keys`, { label: 'ci' })
        .expect(201);
      expect(created.body.key).toMatch(/^vf_/);
      await request(gw.url).get('/v1/me').set('authorization', `Bearer ${created.body.key}`).expect(200);
      // Last use is recorded off the request path.
      await eventually(async () => {
        const used = await gw.db.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [created.body.id]);
        expect(used.rows[0].last_used_at).not.toBeNull();
      });
      const listed = await as(adminA).get(`/admin/principals/${memberA.id}`).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
      await as(adminA).delete(`/admin/keys/${created.body.id}`).expect(200);
      const refused = await request(gw.url)
        .get('/v1/me')
        .set('authorization', `Bearer ${created.body.key}`)
        .expect(401);
      expect(refused.body.message).toBe('API key revoked');
      const soon = new Date(Date.now() + 1500).toISOString();
      const expiring = await as(admin)
        .post(`/admin/principals/${memberA.id}/keys`, { expiresAt: soon })
        .expect(201);
      await request(gw.url).get('/v1/me').set('authorization', `Bearer ${expiring.body.key}`).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      const expired = await request(gw.url)
        .get('/v1/me')
        .set('authorization', `Bearer ${expiring.body.key}`)
        .expect(401);
      expect(expired.body.message).toBe('API key expired');
    });

    it('gives GPU grants only by default deny, checks patterns and the edition, revokes', async () => {
      expect((await as(memberA.key).get('/v1/me').expect(200)).body.grants).toEqual([]);
      const bad = await as(admin)
        .post('/admin/grants', {
          principalId: memberA.id,
          kernels: ['motion..x'],
          deviceClasses: ['sm_9x'],
          cpuFallback: false,
        })
        .expect(400);
      expect(bad.body.message).toMatch(/kernels: .*deviceClasses: /);
      const grant = await as(admin)
        .post('/admin/grants', {
          principalId: memberA.id,
          kernels: ['motion.*'],
          deviceClasses: ['sm_90+'],
          cpuFallback: true,
        })
        .expect(201);
      expect((await as(memberA.key).get('/v1/me').expect(200)).body.grants).toHaveLength(1);
      const community = await seedTenant(gw.db, 'no-fallback', 'community');
      await gw.db.query(
        `UPDATE editions SET features = features || '{"cpuFallback": false}' WHERE name = 'community'`,
      );
      const user = await seedPrincipal(gw.db, { tenantId: community, roles: ['tenant-member'], name: 'cu' });
      const gated = await as(admin)
        .post('/admin/grants', {
          principalId: user.id,
          kernels: ['**'],
          deviceClasses: ['*'],
          cpuFallback: true,
        })
        .expect(422);
      expect(gated.body.error).toBe('feature_disabled');
      await gw.db.query(
        `UPDATE editions SET features = features || '{"cpuFallback": true}' WHERE name = 'community'`,
      );
      await as(admin).delete(`/admin/grants/${grant.body.id}`).expect(200);
      expect((await as(memberA.key).get('/v1/me').expect(200)).body.grants).toEqual([]);
      const grantsLog = await as(admin)
        .get(`/admin/audit?tenantId=${tenantA}&resourceType=gpu-grant`)
        .expect(200);
      const actions = list<{ action: string }>(grantsLog.body.entries).map((e) => e.action);
      expect(actions).toEqual(['grant.create', 'grant.revoke']);
    });

    it('lets a tenant admin create only tenant roles in its own tenant', async () => {
      await as(adminA)
        .post('/admin/principals', { kind: 'user', name: 'new-member', roles: ['tenant-member'] })
        .expect(201);
      const escalation = await as(adminA)
        .post('/admin/principals', { kind: 'user', name: 'sneaky', roles: ['platform-admin'] })
        .expect(403);
      expect(escalation.body.message).toMatch(/cannot be given/);
      await as(adminA)
        .post('/admin/principals', { tenantId: null, kind: 'user', name: 'p', roles: ['operator'] })
        .expect(404);
    });
  });

  describe('disabling principals', () => {
    it('refuses a disabled principal’s keys at once and accepts them again once enabled', async () => {
      const target = await seedPrincipal(gw.db, {
        tenantId: tenantA,
        roles: ['tenant-member'],
        name: 'to-disable',
      });
      await as(target.key).get('/v1/quota').expect(200);
      const disabled = await as(adminA).post(`/admin/principals/${target.id}/disable`).expect(200);
      expect(disabled.body.disabledAt).not.toBeNull();
      const refused = await as(target.key).get('/v1/quota').expect(401);
      expect(JSON.stringify(refused.body)).toContain('principal disabled');
      // Idempotent: disabling again changes nothing and writes no second entry.
      await as(adminA).post(`/admin/principals/${target.id}/disable`).expect(200);
      const enabled = await as(adminA).post(`/admin/principals/${target.id}/enable`).expect(200);
      expect(enabled.body.disabledAt).toBeNull();
      await as(target.key).get('/v1/quota').expect(200);
      const entries = await as(admin)
        .get(`/admin/audit?tenantId=${tenantA}&resourceId=${target.id}`)
        .expect(200);
      const actions = (entries.body.entries as { action: string }[]).map((e) => e.action);
      expect(actions.filter((a) => a === 'principal.disable')).toHaveLength(1);
      expect(actions.filter((a) => a === 'principal.enable')).toHaveLength(1);
    });

    it('refuses to disable oneself, a platform principal (for a tenant admin) or a bad id', async () => {
      const self = await seedPrincipal(gw.db, {
        tenantId: tenantA,
        roles: ['tenant-admin'],
        name: 'self-admin',
      });
      const mine = await as(self.key).post(`/admin/principals/${self.id}/disable`).expect(409);
      expect(mine.body.message).toContain('cannot disable itself');
      const platform = await seedPrincipal(gw.db, { tenantId: null, roles: ['operator'], name: 'ops-2' });
      await as(adminA).post(`/admin/principals/${platform.id}/disable`).expect(404);
      await as(admin).post('/admin/principals/not-a-uuid/disable').expect(404);
      await as(self.key).get('/v1/quota').expect(200);
    });
  });

  describe('nodes and fleet stats', () => {
    it('drains, cordons and uncordons with audit, an event, and a lost state', async () => {
      const events: string[] = [];
      const unsubscribe = await gw.transport.subscribe('node.control', (event) =>
        events.push(`${event.nodeId}:${event.state}`),
      );
      await gw.transport.publish('node.heartbeat', heartbeat('ctl-node'));
      await eventually(async () =>
        expect((await as(operator).get('/admin/gpu/nodes/ctl-node').expect(200)).body.state).toBe('ready'),
      );
      const drained = await as(operator)
        .post('/admin/gpu/nodes/ctl-node/drain', { reason: 'maintenance' })
        .expect(200);
      expect(drained.body).toMatchObject({
        state: 'draining',
        control: { state: 'draining', reason: 'maintenance' },
      });
      await as(operator).post('/admin/gpu/nodes/ctl-node/cordon').expect(200);
      const back = await as(operator).post('/admin/gpu/nodes/ctl-node/uncordon').expect(200);
      expect(back.body.state).toBe('ready');
      const { rows } = await gw.db.query(`SELECT state FROM node_controls WHERE node_id = 'ctl-node'`);
      expect(rows).toEqual([{ state: 'ready' }]);
      await eventually(() =>
        expect(events).toEqual(['ctl-node:draining', 'ctl-node:cordoned', 'ctl-node:ready']),
      );
      await unsubscribe();
      const audit = await as(admin)
        .get('/admin/audit?tenantId=platform&resourceType=node&resourceId=ctl-node')
        .expect(200);
      expect(list<{ action: string }>(audit.body.entries).map((e) => e.action)).toEqual([
        'node.drain',
        'node.cordon',
        'node.uncordon',
      ]);
      await as(operator).post('/admin/gpu/nodes/no-such-node/drain').expect(404);
      // NODE_LOST_AFTER_MS is 3 s in the harness.
      await eventually(
        async () =>
          expect((await as(operator).get('/admin/gpu/nodes/ctl-node').expect(200)).body.state).toBe('lost'),
        6_000,
      );
    });

    it('sums the fleet and audits OOMs and device loss reported by nodes', async () => {
      const first = heartbeat('stats-node', { devices: 2 });
      await gw.transport.publish('node.heartbeat', first);
      const next = heartbeat('stats-node', { devices: 2 });
      const device = next.devices[1];
      if (device?.pool) {
        device.pool.softOoms = 2;
        device.healthy = false;
      }
      await eventually(async () => {
        const stats = await as(operator).get('/admin/gpu/stats').expect(200);
        expect(list<{ nodeId: string }>(stats.body.nodes).map((n) => n.nodeId)).toContain('stats-node');
      });
      await gw.transport.publish('node.heartbeat', next);
      await eventually(async () => {
        const stats = await as(operator).get('/admin/gpu/stats').expect(200);
        const node = list<{ nodeId: string; devices: unknown[] }>(stats.body.nodes).find(
          (n) => n.nodeId === 'stats-node',
        );
        expect(node?.devices[1]).toMatchObject({ healthy: false, ooms: { soft: 2, hard: 0 } });
        expect(stats.body.totals.devices).toBeGreaterThanOrEqual(2);
        const audit = await as(admin).get('/admin/audit?tenantId=platform&actorId=stats-node').expect(200);
        expect(
          list<{ action: string }>(audit.body.entries)
            .map((e) => e.action)
            .sort(),
        ).toEqual(['gpu.device-lost', 'gpu.oom.soft']);
      });
    });
  });

  describe('signed kernels', () => {
    it('registers a well-signed kernel and refuses a tampered one, auditing the refusal', async () => {
      const body = signedKernelBody('acme.scale', 'acme-key-1', tenantA);
      const registered = await as(admin).post('/admin/gpu/kernels', body).expect(201);
      expect(registered.body).toMatchObject({ name: 'acme.scale', keyId: 'acme-key-1', tenantId: tenantA });
      const tampered = signedKernelBody('acme.other', 'acme-key-2', tenantA);
      tampered.ptx = tampered.ptx.replace('ret;', 'trap;');
      const refused = await as(admin).post('/admin/gpu/kernels', tampered).expect(422);
      expect(refused.body.message).toMatch(/KERNEL_TAMPERED/);
      const audit = await as(admin).get(`/admin/audit?tenantId=${tenantA}&resourceType=kernel`).expect(200);
      expect(list<{ outcome: string }>(audit.body.entries).map((e) => e.outcome)).toEqual([
        'succeeded',
        'denied',
      ]);
      const community = await seedTenant(gw.db, 'kernels-community', 'community');
      const gated = await as(admin)
        .post('/admin/gpu/kernels', signedKernelBody('c.k', 'c-key', community))
        .expect(422);
      expect(gated.body.error).toBe('feature_disabled');
      const kernels = await as(operator).get('/admin/gpu/kernels').expect(200);
      expect(list<{ name: string }>(kernels.body.kernels).map((k) => k.name)).toEqual(['acme.scale']);
      expect(JSON.stringify(kernels.body)).not.toContain('.entry');
    });
  });

  describe('robustness', () => {
    it.each([
      ['POST', '/admin/tenants', { name: 12 }, /name must be/],
      ['POST', '/admin/tenants', {}, /name/],
      ['POST', '/admin/tenants', { name: 'ok-name', extra: 1 }, /property extra should not exist/],
      ['POST', '/admin/tenants', { name: 'ok-name', weight: 1e9 }, /weight must not be greater than 100/],
      ['POST', '/admin/tenants', { name: 'ok-name', quota: [1, 2] }, /quota must be an object/],
      ['PUT', '/admin/tenants/:a/quota', { gpus: -1 }, /gpus must not be less than 0/],
      ['PUT', '/admin/tenants/:a/quota', { vramBytesTotal: 1e300 }, /vramBytesTotal must not be greater/],
      ['PUT', '/admin/tenants/:a/quota', { gpus: '2' }, /gpus must be an integer/],
      ['PATCH', '/admin/tenants/:a', { placementPolicy: 'random' }, /placementPolicy must be one of/],
      ['POST', '/admin/tenants/:a/suspend', { reason: 'x'.repeat(501) }, /reason must be shorter/],
      [
        'POST',
        '/admin/principals',
        { kind: 'robot', name: 'r', roles: ['tenant-member'] },
        /kind must be one of/,
      ],
      ['POST', '/admin/principals', { kind: 'user', name: 'r', roles: ['root'] }, /roles/],
      ['POST', '/admin/principals/:m/keys', { expiresAt: 'tomorrow' }, /expiresAt/],
      [
        'POST',
        '/admin/grants',
        { principalId: 'nope', kernels: [], deviceClasses: [], cpuFallback: 'yes' },
        /principalId/,
      ],
      [
        'POST',
        '/admin/gpu/simulate',
        { vramBytesPerDevice: -5, gpus: 1, priority: 'normal' },
        /vramBytesPerDevice/,
      ],
      [
        'POST',
        '/admin/gpu/simulate',
        { vramBytesPerDevice: 1, gpus: 1e12, priority: 'urgent' },
        /gpus.*|priority/,
      ],
      ['POST', '/admin/gpu/nodes/n/drain', { reason: 5 }, /reason must be a string/],
      ['POST', '/admin/gpu/kernels', { ptx: 1 }, /ptx must be a string/],
      ['GET', '/admin/audit?limit=100000', undefined, /limit must not be greater than 1000/],
      ['GET', '/admin/audit/verify?chain=../etc', undefined, /chain must be a UUID/],
      // Each body: a wrong type, a missing field, a huge value and an unknown field.
      ['PATCH', '/admin/tenants/:a', { weight: 'heavy' }, /weight must be a number/],
      ['PATCH', '/admin/tenants/:a', { name: 'n'.repeat(100) }, /name must be 1-63/],
      ['PATCH', '/admin/tenants/:a', { status: 'active' }, /property status should not exist/],
      ['PUT', '/admin/tenants/:a/quota', { cpus: 1 }, /property cpus should not exist/],
      ['POST', '/admin/tenants/:a/suspend', { reason: 5 }, /reason must be a string/],
      ['POST', '/admin/tenants/:a/suspend', { force: true }, /property force should not exist/],
      [
        'POST',
        '/admin/principals',
        { kind: 'user', name: 5, roles: ['tenant-member'] },
        /name must be 1-128/,
      ],
      ['POST', '/admin/principals', { kind: 'user' }, /name.*roles|roles.*name/],
      [
        'POST',
        '/admin/principals',
        { kind: 'user', name: 'x'.repeat(300), roles: ['tenant-member'] },
        /name must be 1-128/,
      ],
      [
        'POST',
        '/admin/principals',
        { kind: 'user', name: 'u', roles: ['tenant-member'], admin: true },
        /property admin should not exist/,
      ],
      ['POST', '/admin/principals/:m/keys', { label: 7 }, /label must be a string/],
      ['POST', '/admin/principals/:m/keys', { label: 'l'.repeat(1000) }, /label must be shorter/],
      ['POST', '/admin/principals/:m/keys', { secret: 'x' }, /property secret should not exist/],
      ['POST', '/admin/grants', {}, /principalId.*kernels|kernels.*principalId/],
      [
        'POST',
        '/admin/grants',
        {
          principalId: '00000000-0000-4000-8000-000000000000',
          kernels: Array(100).fill('a'),
          deviceClasses: [],
          cpuFallback: false,
        },
        /kernels must contain no more than 64/,
      ],
      [
        'POST',
        '/admin/grants',
        {
          principalId: '00000000-0000-4000-8000-000000000000',
          kernels: ['a'],
          deviceClasses: [],
          cpuFallback: false,
          tenantId: 'x',
        },
        /property tenantId should not exist/,
      ],
      [
        'POST',
        '/admin/gpu/simulate',
        { vramBytesPerDevice: 1, gpus: '1', priority: 'normal' },
        /gpus must be an integer/,
      ],
      ['POST', '/admin/gpu/simulate', {}, /vramBytesPerDevice.*gpus|gpus.*vramBytesPerDevice/],
      [
        'POST',
        '/admin/gpu/simulate',
        { vramBytesPerDevice: 2 ** 60, gpus: 1, priority: 'normal' },
        /vramBytesPerDevice must not be greater/,
      ],
      [
        'POST',
        '/admin/gpu/simulate',
        { vramBytesPerDevice: 1, gpus: 1, priority: 'normal', dryRun: false },
        /property dryRun should not exist/,
      ],
      ['POST', '/admin/gpu/nodes/n/drain', { reason: 'r'.repeat(1000) }, /reason must be shorter/],
      ['POST', '/admin/gpu/nodes/n/drain', { state: 'ready' }, /property state should not exist/],
      ['POST', '/admin/gpu/kernels', {}, /ptx.*manifest|manifest.*ptx/],
      [
        'POST',
        '/admin/gpu/kernels',
        { ptx: 'x', manifest: {}, signature: 's'.repeat(1000), publicKeyPem: 'k' },
        /signature must be shorter/,
      ],
      [
        'POST',
        '/admin/gpu/kernels',
        { ptx: 'x', manifest: {}, signature: 'AA==', publicKeyPem: 'k', trusted: true },
        /property trusted should not exist/,
      ],
    ] as const)('%s %s %j answers 400 naming the field', async (method, path, body, message) => {
      const url = path.replace(':a', tenantA).replace(':m', memberA.id);
      const call = request(gw.url)
        [method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](url)
        .set('authorization', `Bearer ${admin}`);
      const response = body === undefined ? await call : await call.send(body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toMatch(message);
    });

    it('refuses to start with an unreadable audit signing key, naming it', async () => {
      const app = SpawnedApp.start('dist/apps/gateway/src/main.js', {
        DATABASE_URL: gw.databaseUrl,
        AUDIT_SIGNING_KEY: 'not-a-key',
        PORT: '4303',
      });
      expect(await app.exitCode()).toBe(78);
      expect(app.output()).toContain('AUDIT_SIGNING_KEY: must be an Ed25519 private key');
    });

    it('answers 413 for a body over the limit and 400 for malformed JSON', async () => {
      await as(admin)
        .post('/admin/tenants')
        .set('content-type', 'application/json')
        .send('{"name":')
        .expect(400);
      await as(admin)
        .post('/admin/gpu/kernels', { ptx: 'x'.repeat(2 * 1024 * 1024) })
        .expect(413);
    });

    it('replays an idempotent create and refuses the key with another body', async () => {
      const send = (body: object) =>
        as(admin).post('/admin/tenants', body).set('idempotency-key', 'create-idem-1');
      const first = await send({ name: 'idem-co' }).expect(201);
      const again = await send({ name: 'idem-co' }).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      await send({ name: 'idem-other' }).expect(422);
      const { rows } = await gw.db.query(`SELECT count(*)::int AS n FROM tenants WHERE name LIKE 'idem-%'`);
      expect(rows[0].n).toBe(1);
      const key = await as(admin)
        .post(`/admin/principals/${memberA.id}/keys`, {})
        .set('idempotency-key', 'key-idem-1')
        .expect(201);
      const replayed = await as(admin)
        .post(`/admin/principals/${memberA.id}/keys`, {})
        .set('idempotency-key', 'key-idem-1')
        .expect(201);
      expect(replayed.body.id).toBe(key.body.id);
      expect(replayed.body.key).not.toBe(key.body.key);
      const stored = await gw.db.query(`SELECT response::text FROM idempotency_keys`);
      expect(stored.rows.map((r: { response: string }) => r.response).join()).not.toContain(key.body.key);
    });

    it('honours Idempotency-Key on the creating routes of every module, and only there', async () => {
      const twice = async (path: string, body: object, key: string, caller = admin) => {
        const first = await as(caller).post(path, body).set('idempotency-key', key);
        const again = await as(caller).post(path, body).set('idempotency-key', key);
        return { first, again };
      };
      const grant = await twice(
        '/admin/grants',
        { principalId: memberA.id, kernels: ['noop'], deviceClasses: ['*'], cpuFallback: true },
        'grant-idem-1',
      );
      expect(grant.first.status).toBe(201);
      expect(grant.again.headers['idempotent-replayed']).toBe('true');
      expect(grant.again.body.id).toBe(grant.first.body.id);
      // The jobs API is its own module: the key is honoured there too. Other tests in this file
      // submit jobs for tenant A as well, so the replay is judged by how many rows it adds.
      const countJobs = async (): Promise<number> => {
        const sql = `SELECT count(*)::int AS n FROM jobs WHERE tenant_id = $1`;
        const { rows } = await gw.db.query<{ n: number }>(sql, [tenantA]);
        return rows[0]?.n ?? 0;
      };
      const jobsBefore = await countJobs();
      const job = await twice(
        '/v1/jobs',
        { kernel: 'noop', priority: 'normal', vramBytes: GiB },
        'job-idem-1',
        memberA.key,
      );
      expect(job.first.status).toBe(201);
      expect(job.again.headers['idempotent-replayed']).toBe('true');
      expect(job.again.body.id).toBe(job.first.body.id);
      expect(await countJobs()).toBe(jobsBefore + 1);
      await as(admin).delete(`/admin/grants/${grant.first.body.id}`).expect(200);
      // A dry run creates nothing: the header is not looked at, nothing is stored for it.
      const plan = { tenantId: tenantA, vramBytesPerDevice: GiB, gpus: 1, priority: 'normal' };
      const simulated = await twice('/admin/gpu/simulate', plan, 'simulate-idem-1');
      expect(simulated.first.status).toBe(200);
      expect(simulated.again.status).toBe(200);
      expect(simulated.again.headers['idempotent-replayed']).toBeUndefined();
      const stored = await gw.db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1`, [
        'simulate-idem-1',
      ]);
      expect(stored.rows[0].n).toBe(0);
    });

    it('limits each key, answering 429 with Retry-After, other keys unaffected', async () => {
      await gw.startSibling(4302, { RATE_LIMIT_PER_WINDOW: '5', RATE_LIMIT_WINDOW_MS: '60000' });
      const limited = `http://127.0.0.1:4302`;
      const statuses: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        statuses.push(
          (await request(limited).get('/v1/me').set('authorization', `Bearer ${operator}`)).status,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const refused = await request(limited).get('/v1/me').set('authorization', `Bearer ${operator}`);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await request(limited).get('/v1/me').set('authorization', `Bearer ${admin}`).expect(200);
      await request(limited).get('/health/live').expect(200);
    });

    it('serves OpenAPI for exactly the routes it has, with security headers and CORS only for listed origins', async () => {
      const ui = await request(gw.url).get('/docs');
      expect([200, 301]).toContain(ui.status);
      const docs = await request(gw.url).get('/docs-json').expect(200);
      const paths = Object.keys(docs.body.paths);
      for (const path of [
        '/admin/tenants',
        '/admin/tenants/{id}',
        '/admin/tenants/{id}/suspend',
        '/admin/tenants/{id}/resume',
        '/admin/tenants/{id}/quota',
        '/admin/principals',
        '/admin/principals/{id}/keys',
        '/admin/keys/{id}',
        '/admin/grants',
        '/admin/grants/{id}',
        '/v1/me',
        '/v1/quota',
        '/admin/audit',
        '/admin/audit/verify',
        '/admin/audit/export',
        '/admin/gpu/stats',
        '/admin/gpu/tenants',
        '/admin/gpu/nodes',
        '/admin/gpu/nodes/{id}',
        '/admin/gpu/nodes/{id}/drain',
        '/admin/gpu/nodes/{id}/cordon',
        '/admin/gpu/nodes/{id}/uncordon',
        '/admin/gpu/kernels',
        '/admin/gpu/simulate',
      ]) {
        expect(paths).toContain(path);
      }
      // Every documented operation exists: none answers 404 for its route.
      for (const path of paths.filter((p) => !p.includes('{'))) {
        for (const method of Object.keys(docs.body.paths[path])) {
          const response = await request(gw.url)
            [method as 'get'](path)
            .set('authorization', `Bearer ${admin}`);
          expect({ path, method, status: response.status }).not.toMatchObject({ status: 404 });
        }
      }
      expect(docs.body.components.schemas.CreateTenantDto.properties.name).toBeDefined();
      const live = await request(gw.url).get('/health/live');
      expect(live.headers['x-content-type-options']).toBe('nosniff');
      const cors = await request(gw.url).options('/v1/me').set('origin', 'https://evil.example');
      expect(cors.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

async function eventually(check: () => unknown, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A JSON array from a response body, typed for the test's own reading. */
function list<T>(value: unknown): T[] {
  return value as T[];
}
