import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { seedPrincipal, startGateway, type GatewayHarness } from './support/gateway-harness.js';

const LIMITS = { RATE_LIMIT_PER_WINDOW: '4', RATE_LIMIT_WINDOW_MS: '60000' };

/**
 * Two gateways of one deployment (same Redis and queue prefix) spend one budget per key and
 * one failure budget per address: a client cannot double its rate by alternating instances.
 */
describe('rate limits across gateway instances', () => {
  let gw: GatewayHarness;
  let other: string;
  let admin: string;

  beforeAll(async () => {
    gw = await startGateway('shared_limits', 4620, LIMITS);
    await gw.startSibling(4621, LIMITS);
    other = 'http://127.0.0.1:4621';
    admin = (await seedPrincipal(gw.db, { tenantId: null, roles: ['platform-admin'], name: 'root' })).key;
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it("spends a key's budget on either instance, and refuses it on both once it is gone", async () => {
    const { key } = await seedPrincipal(gw.db, { tenantId: null, roles: ['platform-admin'], name: 'busy' });
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const answer = await request(i % 2 === 0 ? gw.url : other)
        .get('/v1/me')
        .set('authorization', `Bearer ${key}`);
      statuses.push(answer.status);
      remaining.push(String(answer.headers['x-ratelimit-remaining'] ?? ''));
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(remaining.slice(0, 4)).toEqual(['3', '2', '1', '0']);
    // Another key keeps its own budget on both.
    await request(gw.url).get('/v1/me').set('authorization', `Bearer ${admin}`).expect(200);
    await request(other).get('/v1/me').set('authorization', `Bearer ${admin}`).expect(200);
  });

  it("blocks an address's failed authentications on the instance that did not see them", async () => {
    const wrong = `Bearer vf_abcdefghij_${'A'.repeat(43)}`;
    const first: number[] = [];
    for (let i = 0; i < 5; i += 1)
      first.push((await request(gw.url).get('/v1/me').set('authorization', wrong)).status);
    // Four failures fit the address's budget; the fifth spends it and is refused as such.
    expect(first).toEqual([401, 401, 401, 401, 429]);
    // The sibling saw none of them; the shared count refuses the address there too.
    const sibling = await request(other).get('/v1/me').set('authorization', wrong);
    expect(sibling.status).toBe(429);
    expect(Number(sibling.headers['retry-after'])).toBeGreaterThan(0);
  });
});
