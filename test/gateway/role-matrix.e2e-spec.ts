import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES, accessMatrix, isPlatformRole, type Permission, type Role } from '@voxelfleet/auth';
import request from 'supertest';
import { signedKernelBody } from './support/kernel-fixture.js';
import {
  heartbeat,
  seedPrincipal,
  seedTenant,
  startGateway,
  type GatewayHarness,
} from './support/gateway-harness.js';

/**
 * Every role against every route: allowed, denied (403) or, for another tenant's object,
 * not found (404). The expectations come from the same RBAC table the guard uses
 * (accessMatrix), and each denial and each mutation must leave an audit entry carrying the
 * request id.
 */

interface Ctx {
  tenantA: string;
  tenantB: string;
  principalIn: Record<'A' | 'B', string>;
  fresh: {
    tenant(): Promise<string>;
    key(tenant: 'A' | 'B'): Promise<string>;
    grant(tenant: 'A' | 'B'): Promise<string>;
    principal(tenant: 'A' | 'B', disabled?: boolean): Promise<string>;
  };
  unique(): string;
}

interface Call {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body?: object;
}

interface RouteCase {
  name: string;
  permission: Permission;
  mutates: boolean;
  /** The call on the caller's own tenant's object (tenant A), or for platform callers on A. */
  own(ctx: Ctx, role: Role): Promise<Call> | Call;
  /** The same call aimed at tenant B's object; absent for routes without a tenant object. */
  other?(ctx: Ctx, role: Role): Promise<Call> | Call;
}

const ROUTES: RouteCase[] = [
  {
    name: 'POST /admin/tenants',
    permission: 'write:tenants',
    mutates: true,
    own: (c) => ({ method: 'post', path: '/admin/tenants', body: { name: `t-${c.unique()}` } }),
  },
  {
    name: 'GET /admin/tenants',
    permission: 'read:tenants',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/tenants' }),
  },
  {
    name: 'GET /admin/tenants/:id',
    permission: 'read:tenants',
    mutates: false,
    own: (c) => ({ method: 'get', path: `/admin/tenants/${c.tenantA}` }),
    other: (c) => ({ method: 'get', path: `/admin/tenants/${c.tenantB}` }),
  },
  {
    name: 'PATCH /admin/tenants/:id',
    permission: 'write:tenants',
    mutates: true,
    own: (c) => ({ method: 'patch', path: `/admin/tenants/${c.tenantA}`, body: { weight: 2 } }),
    other: (c) => ({ method: 'patch', path: `/admin/tenants/${c.tenantB}`, body: { weight: 2 } }),
  },
  {
    name: 'DELETE /admin/tenants/:id',
    permission: 'write:tenants',
    mutates: true,
    own: async (c) => ({ method: 'delete', path: `/admin/tenants/${await c.fresh.tenant()}` }),
  },
  {
    name: 'POST /admin/tenants/:id/suspend',
    permission: 'suspend:tenants',
    mutates: true,
    own: (c) => ({ method: 'post', path: `/admin/tenants/${c.tenantA}/suspend`, body: { reason: 'matrix' } }),
    other: (c) => ({ method: 'post', path: `/admin/tenants/${c.tenantB}/suspend` }),
  },
  {
    name: 'POST /admin/tenants/:id/resume',
    permission: 'suspend:tenants',
    mutates: true,
    own: (c) => ({ method: 'post', path: `/admin/tenants/${c.tenantA}/resume` }),
    other: (c) => ({ method: 'post', path: `/admin/tenants/${c.tenantB}/resume` }),
  },
  {
    name: 'PUT /admin/tenants/:id/quota',
    permission: 'write:quota',
    mutates: true,
    own: (c) => ({ method: 'put', path: `/admin/tenants/${c.tenantA}/quota`, body: { gpus: 2 } }),
    other: (c) => ({ method: 'put', path: `/admin/tenants/${c.tenantB}/quota`, body: { gpus: 2 } }),
  },
  {
    name: 'PUT /admin/tenants/:id/cohort',
    permission: 'write:quota',
    mutates: true,
    own: (c) => ({
      method: 'put',
      path: `/admin/tenants/${c.tenantA}/cohort`,
      body: { cohort: 'matrix', borrowingLimit: { gpus: 1 } },
    }),
    other: (c) => ({
      method: 'put',
      path: `/admin/tenants/${c.tenantB}/cohort`,
      body: { cohort: 'matrix', borrowingLimit: { gpus: 1 } },
    }),
  },
  {
    name: 'POST /admin/principals',
    permission: 'write:principals',
    mutates: true,
    own: (c) => ({
      method: 'post',
      path: '/admin/principals',
      body: { tenantId: c.tenantA, kind: 'user', name: `u-${c.unique()}`, roles: ['tenant-member'] },
    }),
    other: (c) => ({
      method: 'post',
      path: '/admin/principals',
      body: { tenantId: c.tenantB, kind: 'user', name: `u-${c.unique()}`, roles: ['tenant-member'] },
    }),
  },
  {
    name: 'GET /admin/principals',
    permission: 'read:principals',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/principals' }),
    other: (c) => ({ method: 'get', path: `/admin/principals?tenantId=${c.tenantB}` }),
  },
  {
    name: 'GET /admin/principals/:id',
    permission: 'read:principals',
    mutates: false,
    own: (c) => ({ method: 'get', path: `/admin/principals/${c.principalIn.A}` }),
    other: (c) => ({ method: 'get', path: `/admin/principals/${c.principalIn.B}` }),
  },
  {
    name: 'POST /admin/principals/:id/disable',
    permission: 'write:principals',
    mutates: true,
    own: async (c) => ({ method: 'post', path: `/admin/principals/${await c.fresh.principal('A')}/disable` }),
    other: async (c) => ({
      method: 'post',
      path: `/admin/principals/${await c.fresh.principal('B')}/disable`,
    }),
  },
  {
    name: 'POST /admin/principals/:id/enable',
    permission: 'write:principals',
    mutates: true,
    own: async (c) => ({
      method: 'post',
      path: `/admin/principals/${await c.fresh.principal('A', true)}/enable`,
    }),
    other: async (c) => ({
      method: 'post',
      path: `/admin/principals/${await c.fresh.principal('B', true)}/enable`,
    }),
  },
  {
    name: 'POST /admin/principals/:id/keys',
    permission: 'manage:keys',
    mutates: true,
    own: (c) => ({ method: 'post', path: `/admin/principals/${c.principalIn.A}/keys`, body: { label: 'm' } }),
    other: (c) => ({
      method: 'post',
      path: `/admin/principals/${c.principalIn.B}/keys`,
      body: { label: 'm' },
    }),
  },
  {
    name: 'DELETE /admin/keys/:id',
    permission: 'manage:keys',
    mutates: true,
    own: async (c) => ({ method: 'delete', path: `/admin/keys/${await c.fresh.key('A')}` }),
    other: async (c) => ({ method: 'delete', path: `/admin/keys/${await c.fresh.key('B')}` }),
  },
  {
    name: 'POST /admin/grants',
    permission: 'manage:grants',
    mutates: true,
    own: (c) => ({
      method: 'post',
      path: '/admin/grants',
      body: {
        principalId: c.principalIn.A,
        kernels: ['motion.*'],
        deviceClasses: ['sm_90+'],
        cpuFallback: true,
      },
    }),
  },
  {
    name: 'GET /admin/grants',
    permission: 'read:grants',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/grants' }),
    other: (c) => ({ method: 'get', path: `/admin/grants?tenantId=${c.tenantB}` }),
  },
  {
    name: 'DELETE /admin/grants/:id',
    permission: 'manage:grants',
    mutates: true,
    own: async (c) => ({ method: 'delete', path: `/admin/grants/${await c.fresh.grant('A')}` }),
  },
  {
    name: 'GET /v1/me',
    permission: 'read:self',
    mutates: false,
    own: () => ({ method: 'get', path: '/v1/me' }),
  },
  {
    name: 'GET /v1/quota',
    permission: 'read:quota',
    mutates: false,
    own: (c, role) => ({
      method: 'get',
      path: isPlatformRole(role) ? `/v1/quota?tenantId=${c.tenantA}` : '/v1/quota',
    }),
    other: (c) => ({ method: 'get', path: `/v1/quota?tenantId=${c.tenantB}` }),
  },
  {
    name: 'GET /admin/billing',
    permission: 'read:billing',
    mutates: false,
    own: (c, role) => ({
      method: 'get',
      path: isPlatformRole(role) ? `/admin/billing?tenantId=${c.tenantA}` : '/admin/billing',
    }),
    other: (c) => ({ method: 'get', path: `/admin/billing?tenantId=${c.tenantB}` }),
  },
  {
    name: 'GET /admin/billing/prices',
    permission: 'read:billing',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/billing/prices' }),
  },
  {
    name: 'PUT /admin/billing/prices',
    permission: 'manage:billing',
    mutates: true,
    own: () => ({
      method: 'put',
      path: '/admin/billing/prices',
      body: {
        currency: 'EUR',
        deviceClasses: [{ deviceClass: '*', perGpuSecond: 0.001 }],
        cpuFallbackPerSecond: 0,
      },
    }),
  },
  {
    name: 'GET /admin/audit',
    permission: 'read:audit',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/audit?limit=5' }),
    other: (c) => ({ method: 'get', path: `/admin/audit?tenantId=${c.tenantB}` }),
  },
  {
    name: 'GET /admin/audit/verify',
    permission: 'read:audit',
    mutates: false,
    own: (c, role) => ({
      method: 'get',
      path: isPlatformRole(role) ? '/admin/audit/verify' : `/admin/audit/verify?chain=${c.tenantA}`,
    }),
    other: (c) => ({ method: 'get', path: `/admin/audit/verify?chain=${c.tenantB}` }),
  },
  {
    name: 'GET /admin/audit/export',
    permission: 'read:audit',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/audit/export?limit=5' }),
    other: (c) => ({ method: 'get', path: `/admin/audit/export?tenantId=${c.tenantB}` }),
  },
  {
    name: 'GET /admin/gpu/stats',
    permission: 'read:gpu',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/gpu/stats' }),
  },
  {
    name: 'GET /admin/gpu/tenants',
    permission: 'read:gpu',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/gpu/tenants' }),
  },
  {
    name: 'GET /admin/gpu/nodes',
    permission: 'read:nodes',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/gpu/nodes' }),
  },
  {
    name: 'GET /admin/gpu/nodes/:id',
    permission: 'read:nodes',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/gpu/nodes/node-m' }),
  },
  ...(['drain', 'cordon', 'uncordon'] as const).map((action): RouteCase => ({
    name: `POST /admin/gpu/nodes/:id/${action}`,
    permission: 'drain:nodes',
    mutates: true,
    own: () => ({ method: 'post', path: `/admin/gpu/nodes/node-m/${action}`, body: { reason: 'matrix' } }),
  })),
  {
    name: 'GET /admin/gpu/kernels',
    permission: 'read:kernels',
    mutates: false,
    own: () => ({ method: 'get', path: '/admin/gpu/kernels' }),
  },
  {
    name: 'POST /admin/gpu/kernels',
    permission: 'register:kernels',
    mutates: true,
    own: (c) => {
      const id = c.unique();
      return {
        method: 'post',
        path: '/admin/gpu/kernels',
        body: signedKernelBody(`k.k${id}`, `key-${id}`, c.tenantA),
      };
    },
  },
  {
    name: 'POST /admin/gpu/simulate',
    permission: 'simulate:jobs',
    mutates: false,
    own: (c) => ({
      method: 'post',
      path: '/admin/gpu/simulate',
      body: { tenantId: c.tenantA, vramBytesPerDevice: 2 ** 30, gpus: 1, priority: 'normal' },
    }),
    other: (c) => ({
      method: 'post',
      path: '/admin/gpu/simulate',
      body: { tenantId: c.tenantB, vramBytesPerDevice: 2 ** 30, gpus: 1, priority: 'normal' },
    }),
  },
];

const STATUS_OF = { forbidden: 403, 'not-found': 404 } as const;

describe('gateway: every role against every route', () => {
  let gw: GatewayHarness;
  let ctx: Ctx;
  const keys = {} as Record<Role, string>;
  let counter = 0;

  beforeAll(async () => {
    gw = await startGateway('gw_matrix', 4300);
    const tenantA = await seedTenant(gw.db, 'matrix-a');
    const tenantB = await seedTenant(gw.db, 'matrix-b');
    for (const role of ROLES) {
      const principal = await seedPrincipal(gw.db, {
        tenantId: isPlatformRole(role) ? null : tenantA,
        roles: [role],
        name: `as-${role}`,
      });
      keys[role] = principal.key;
    }
    const inA = await seedPrincipal(gw.db, { tenantId: tenantA, roles: ['tenant-member'], name: 'target-a' });
    const inB = await seedPrincipal(gw.db, { tenantId: tenantB, roles: ['tenant-member'], name: 'target-b' });
    const tenantOf = { A: tenantA, B: tenantB };
    const principalOf = { A: inA.id, B: inB.id };
    ctx = {
      tenantA,
      tenantB,
      principalIn: principalOf,
      unique: () => `${process.pid}-${(counter += 1)}`,
      fresh: {
        tenant: () => seedTenant(gw.db, `fresh-${process.pid}-${(counter += 1)}`),
        key: async (t) => {
          const { rows } = await gw.db.query<{ id: string }>(
            `INSERT INTO api_keys (principal_id, prefix, key_hash) VALUES ($1, $2, 'x') RETURNING id`,
            [principalOf[t], `p${String((counter += 1)).padStart(9, '0')}`],
          );
          return rows[0]?.id ?? '';
        },
        principal: async (t, disabled = false) => {
          const { rows } = await gw.db.query<{ id: string }>(
            `INSERT INTO principals (tenant_id, kind, name, roles, disabled_at)
             VALUES ($1, 'user', $2, '{tenant-member}', ${disabled ? 'now()' : 'NULL'}) RETURNING id`,
            [tenantOf[t], `fresh-${process.pid}-${(counter += 1)}`],
          );
          return rows[0]?.id ?? '';
        },
        grant: async (t) => {
          const { rows } = await gw.db.query<{ id: string }>(
            `INSERT INTO gpu_grants (principal_id, tenant_id, kernels, device_classes) VALUES ($1, $2, '{**}', '{*}') RETURNING id`,
            [principalOf[t], tenantOf[t]],
          );
          return rows[0]?.id ?? '';
        },
      },
    };
    await gw.transport.publish('node.heartbeat', heartbeat('node-m'));
    await waitFor(
      async () =>
        (await send({ method: 'get', path: '/admin/gpu/nodes/node-m' }, keys['platform-admin'])).status ===
        200,
    );
  });

  afterAll(async () => {
    await gw.stop();
  });

  function send(call: Call, key: string | undefined, requestId?: string) {
    let req = request(gw.url)[call.method](call.path);
    if (key !== undefined) req = req.set('authorization', `Bearer ${key}`);
    if (requestId !== undefined) req = req.set('x-request-id', requestId);
    return call.body === undefined ? req : req.send(call.body);
  }

  async function auditOutcomes(requestId: string): Promise<string[]> {
    const { rows } = await gw.db.query<{ outcome: string }>(
      `SELECT outcome FROM audit_log WHERE request_id = $1`,
      [requestId],
    );
    return rows.map((r) => r.outcome);
  }

  const cases = ROUTES.flatMap((route) => ROLES.map((role) => [route.name, role, route] as const));

  it.each(cases)('%s as %s', async (_name, role, route) => {
    const expected = accessMatrix(route.permission).find((row) => row.role === role);
    const requestId = `m-${ctx.unique()}`;
    const response = await send(await route.own(ctx, role), keys[role], requestId);
    const audit = await auditOutcomes(requestId);
    if (expected?.own === 'allowed') {
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
      if (route.mutates) expect(audit).toContain('succeeded');
      else expect(audit).toEqual([]);
    } else {
      expect(response.status).toBe(403);
      expect(response.body.error).toBe('forbidden');
      expect(audit).toEqual(['denied']);
    }

    if (route.other !== undefined) {
      const probeId = `x-${ctx.unique()}`;
      const probe = await send(await route.other(ctx, role), keys[role], probeId);
      const crossExpected = expected?.crossTenant ?? 'forbidden';
      if (crossExpected === 'allowed') {
        expect(probe.status).toBeLessThan(300);
      } else {
        expect(probe.status).toBe(STATUS_OF[crossExpected]);
        expect(await auditOutcomes(probeId)).toEqual(['denied']);
      }
    }
  });

  it.each(ROUTES.map((route) => [route.name, route] as const))(
    '%s without a key is 401 and audited',
    async (_n, route) => {
      const requestId = `u-${ctx.unique()}`;
      const response = await send(await route.own(ctx, 'platform-admin'), undefined, requestId);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(await auditOutcomes(requestId)).toEqual(['denied']);
    },
  );

  it('answers the same 404 for a missing id and for another tenant’s id', async () => {
    const missing = await send(
      { method: 'get', path: '/admin/tenants/00000000-0000-4000-8000-000000000000' },
      keys['tenant-admin'],
    );
    const foreign = await send(
      { method: 'get', path: `/admin/tenants/${ctx.tenantB}` },
      keys['tenant-admin'],
    );
    expect(missing.status).toBe(404);
    expect(foreign.status).toBe(404);
    expect(Object.keys(missing.body).sort()).toEqual(Object.keys(foreign.body).sort());
    expect(missing.body.error).toBe(foreign.body.error);
  });

  it('lists only the caller’s own tenant’s objects', async () => {
    const tenants = await send({ method: 'get', path: '/admin/tenants' }, keys['tenant-member']);
    expect(list<{ id: string }>(tenants.body.tenants).map((t) => t.id)).toEqual([ctx.tenantA]);
    const principals = await send({ method: 'get', path: '/admin/principals' }, keys['tenant-admin']);
    const owners = new Set(list<{ tenantId: string }>(principals.body.principals).map((p) => p.tenantId));
    expect([...owners]).toEqual([ctx.tenantA]);
    const audit = await send({ method: 'get', path: '/admin/audit?limit=1000' }, keys['tenant-admin']);
    expect(audit.body.entries.length).toBeGreaterThan(0);
    expect(new Set(list<{ tenantId: string }>(audit.body.entries).map((e) => e.tenantId))).toEqual(
      new Set([ctx.tenantA]),
    );
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A JSON array from a response body, typed for the test's own reading. */
function list<T>(value: unknown): T[] {
  return value as T[];
}
