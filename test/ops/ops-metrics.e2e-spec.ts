import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { seedPrincipal, seedTenant } from '../gateway/support/gateway-harness.js';
import { createTestDatabase } from '../support/database.js';
import { testRedisUrl } from '../support/env.js';
import { SpawnedApp } from '../support/spawned-app.js';
import {
  alertRules,
  dashboards,
  familyOf,
  metricFamilies,
  metricNamesIn,
  runbooks,
} from './support/ops-files.js';

/**
 * The four built services on real Postgres and Redis, scraped as Prometheus would: every
 * metric a rule, dashboard or runbook names must be one they export (a family counts as soon
 * as its TYPE line is there: labelled series have no samples before their first event), and
 * every endpoint a runbook names must be a route of the gateway.
 */
const APPS = [
  { name: 'gateway', port: 5200, database: true },
  { name: 'scheduler', port: 5201, database: true },
  { name: 'gpu-node', port: 5202, database: false },
  { name: 'tracker', port: 5203, database: true },
] as const;
const url = (name: (typeof APPS)[number]['name']) =>
  `http://127.0.0.1:${APPS.find((app) => app.name === name)!.port}`;

describe('what the dashboards, alerts and runbooks point at exists', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  const running = new Map<string, SpawnedApp>();
  const scrape = async (name: (typeof APPS)[number]['name']) =>
    (await request(url(name)).get('/metrics').expect(200)).text;

  beforeAll(async () => {
    db = await createTestDatabase('ops_metrics');
    for (const app of APPS) {
      running.set(
        app.name,
        SpawnedApp.start(`dist/apps/${app.name}/src/main.js`, {
          PORT: String(app.port),
          HOST: '127.0.0.1',
          DATABASE_URL: app.database ? db.url : undefined,
          REDIS_URL: testRedisUrl(),
          QUEUE_PREFIX: `vf-e2e-ops-${process.pid}`,
          NODE_ID: 'ops-node',
          HEARTBEAT_INTERVAL_MS: '200',
          NODE_LOST_AFTER_MS: '3000',
          POLICY_CACHE_TTL_MS: '100',
          RATE_LIMIT_PER_WINDOW: '100000',
          LOG_LEVEL: 'info',
        }),
      );
    }
    await Promise.all([...running.values()].map((app) => app.waitForLine(/listening/)));
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await Promise.all([...running.values()].map((app) => app.stop('SIGKILL')));
    await client?.end();
    await db?.drop();
  });

  it('exports every metric family a rule, a dashboard or a runbook names', async () => {
    const families = new Map<string, string>();
    for (const app of APPS)
      for (const [name, type] of metricFamilies(await scrape(app.name))) families.set(name, type);

    const named: { name: string; where: string }[] = [
      ...alertRules().flatMap((rule) =>
        metricNamesIn(rule.expr).map((name) => ({ name, where: `alert ${rule.alert}` })),
      ),
      ...dashboards().flatMap(({ file, dashboard }) =>
        dashboard.panels.flatMap((panel) =>
          (panel.targets ?? []).flatMap((t) =>
            metricNamesIn(t.expr).map((name) => ({ name, where: `${file} "${panel.title}"` })),
          ),
        ),
      ),
      ...runbooks().flatMap((runbook) =>
        runbook.metrics.map((m) => ({ name: m.name, where: `runbook ${runbook.id}` })),
      ),
    ];
    expect(named.length).toBeGreaterThan(50);
    // `up` is written by Prometheus for every scrape target, not by the services.
    const missing = named.filter(({ name }) => name !== 'up' && familyOf(name, families) === undefined);
    expect(missing).toEqual([]);
  });

  it('serves every endpoint a runbook names', async () => {
    const doc = (await request(url('gateway')).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const endpoints = runbooks().flatMap((runbook) =>
      runbook.endpoints.map((e) => ({ ...e, runbook: runbook.id })),
    );
    expect(endpoints.length).toBeGreaterThan(10);
    const missing = endpoints.filter((e) => doc.paths[e.path]?.[e.method.toLowerCase()] === undefined);
    // Health routes are on every service, outside the gateway's API: they are checked by calling them.
    const health = missing.filter((e) => e.path.startsWith('/health/'));
    for (const e of health)
      await request(url('gateway'))[e.method === 'GET' ? 'get' : 'post'](e.path).expect(200);
    expect(
      missing.filter((e) => !health.includes(e)).map((e) => `${e.runbook}: ${e.method} ${e.path}`),
    ).toEqual([]);
  });

  it('reports each service reaching its database and Redis', async () => {
    for (const app of APPS) {
      const text = await scrape(app.name);
      const up = (dependency: string) =>
        text
          .split('\n')
          .find(
            (line) =>
              line.startsWith('voxelfleet_dependency_up{') && line.includes(`dependency="${dependency}"`),
          );
      expect([app.name, up('transport')?.split(' ').pop()]).toEqual([app.name, '1']);
      expect([app.name, up('database')?.split(' ').pop()]).toEqual([
        app.name,
        app.database ? '1' : undefined,
      ]);
    }
  });

  it('counts a tenant job waiting on its quota, and its quota usage', async () => {
    const tenant = await seedTenant(client, 'ops-quota');
    const admin = await seedPrincipal(client, {
      tenantId: null,
      roles: ['platform-admin'],
      name: 'ops-admin',
    });
    const member = await seedPrincipal(client, {
      tenantId: tenant,
      roles: ['tenant-member'],
      name: 'ops-ci',
    });
    const gateway = request(url('gateway'));
    const as = (key: string) => ({ authorization: `Bearer ${key}` });
    await gateway
      .put(`/admin/tenants/${tenant}/quota`)
      .set(as(admin.key))
      .send({ jobsPerMinute: 1 })
      .expect(200);
    await gateway
      .post('/admin/grants')
      .set(as(admin.key))
      .send({ principalId: member.id, kernels: ['**'], deviceClasses: ['*'], cpuFallback: true })
      .expect(201);
    await eventually(async () => {
      const nodes = await gateway.get('/admin/gpu/nodes').set(as(admin.key)).expect(200);
      return (nodes.body as { nodes: unknown[] }).nodes.length > 0;
    });

    // One job a minute: the second waits on jobsPerMinute until the first leaves the window.
    for (let i = 0; i < 2; i++) {
      await gateway
        .post('/v1/jobs')
        .set(as(member.key))
        .send({
          kernel: 'saxpy',
          inputs: { a: 2, x: [1, 2], y: [3, 4] },
          priority: 'normal',
          cpuFallbackAllowed: true,
        })
        .expect(201);
    }
    const sample = (text: string, name: string, quota: string) =>
      text
        .split('\n')
        .find(
          (line) =>
            line.startsWith(`${name}{`) &&
            line.includes(`tenant="${tenant}"`) &&
            line.includes(`quota="${quota}"`),
        )
        ?.split(' ')
        .pop();
    await eventually(
      async () =>
        sample(await scrape('gateway'), 'voxelfleet_tenant_quota_blocked_jobs', 'jobsPerMinute') === '1',
    );
    // The first job was placed, so it counts against the rate window (read through the policy cache).
    await eventually(
      async () =>
        Number(sample(await scrape('gateway'), 'voxelfleet_tenant_quota_used', 'jobsPerMinute')) === 1,
    );
    expect(sample(await scrape('gateway'), 'voxelfleet_tenant_quota_limit', 'jobsPerMinute')).toBe('1');
  });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
