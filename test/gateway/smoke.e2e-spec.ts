import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { seedPrincipal, startGateway, type GatewayHarness } from './support/gateway-harness.js';

describe('gateway smoke', () => {
  let gw: GatewayHarness;
  let admin: { id: string; key: string };
  beforeAll(async () => {
    gw = await startGateway('gw_smoke', 4349);
    admin = await seedPrincipal(gw.db, { tenantId: null, roles: ['platform-admin'], name: 'root' });
  });
  afterAll(async () => {
    await gw.stop();
  });

  it('works end to end', async () => {
    await request(gw.url).get('/health/live').expect(200);
    await request(gw.url).get('/v1/me').expect(401);
    const me = await request(gw.url).get('/v1/me').set('authorization', `Bearer ${admin.key}`).expect(200);
    expect(me.body.roles).toEqual(['platform-admin']);
    const t = await request(gw.url)
      .post('/admin/tenants')
      .set('authorization', `Bearer ${admin.key}`)
      .send({ name: 'acme', edition: 'pro' });
    expect(t.status).toBe(201);
    const q = await request(gw.url)
      .get(`/v1/quota?tenantId=${t.body.id}`)
      .set('authorization', `Bearer ${admin.key}`);
    expect(q.status).toBe(200);
    const v = await request(gw.url).get('/admin/audit/verify').set('authorization', `Bearer ${admin.key}`);
    expect(v.body.ok).toBe(true);
    const docs = await request(gw.url).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toContain('/admin/tenants');
  });
});
