import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateApiKey } from '@voxelfleet/auth';
import { dispatchesIn, nodeQueue, type JobDispatch, type NodeHeartbeat } from '@voxelfleet/contracts';
import { createLogger } from '@voxelfleet/observability';
import { BullMqTransport, type Consumer } from '@voxelfleet/transport';
import request from 'supertest';
import { JobReporter } from '../../apps/gpu-node/src/agent/job-reporter.js';
import { heartbeat } from '../gateway/support/gateway-harness.js';
import { testRedisUrl } from '../support/env.js';
import type { SpawnedApp } from '../support/spawned-app.js';
import {
  eventually,
  schedulerDatabase,
  seedTenant,
  startApp,
  type TenantFixture,
} from './scheduler-fixture.js';

const GATEWAY = 4470;
const SCHEDULER = 4471;
const NODE = 'gpu-billing';
const gateway = `http://127.0.0.1:${GATEWAY}`;
const PRICES = {
  currency: 'EUR',
  deviceClasses: [
    { deviceClass: 'sm_90+', perGpuSecond: 0.002 },
    { deviceClass: '*', perGpuSecond: 0.001 },
  ],
  cpuFallbackPerSecond: 0.0001,
};

interface BillingLine {
  tenantId: string;
  deviceClass: string;
  jobs: number;
  gpuSeconds: number;
  cpuSeconds: number;
  cost: number;
  idleReservedGpuSeconds: number;
}

interface BillingBody {
  currency: string;
  lines: BillingLine[];
  tenants: { tenantId: string; gpuSeconds: number; cost: number }[];
}

/**
 * Chargeback across the gateway and scheduler processes, with a GPU node stand-in that speaks
 * the node contract over Redis (heartbeats of two H100s; reports `started`, holds the job for
 * `inputs.holdMs`, reports `succeeded`, through the gpu-node's own reporter). The bill is
 * metered from the times the scheduler recorded, and must agree with the GPU-seconds quota.
 */
describe('chargeback (real Postgres, Redis, gateway and scheduler processes)', () => {
  let database: Awaited<ReturnType<typeof schedulerDatabase>>;
  const apps: SpawnedApp[] = [];
  let transport: BullMqTransport;
  let consumer: Consumer | undefined;
  let beating: NodeJS.Timeout | undefined;
  const holds = new Set<NodeJS.Timeout>();
  let alpha: TenantFixture;
  let beta: TenantFixture;
  let adminKey: string;

  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const jobState = async (id: string, tenant: TenantFixture) =>
    (await request(gateway).get(`/v1/jobs/${id}`).set(as(tenant.key)).expect(200)).body as { state: string };
  const until = (id: string, states: string[], tenant: TenantFixture = alpha) =>
    eventually(
      async () => {
        const body = await jobState(id, tenant);
        return states.includes(body.state) ? body : undefined;
      },
      20_000,
      `job ${id} to reach ${states.join('|')}`,
    );
  const submit = async (holdMs: number, tenant: TenantFixture = alpha) =>
    (
      (
        await request(gateway)
          .post('/v1/jobs')
          .set(as(tenant.key))
          .send({ kernel: 'noop', priority: 'normal', vramBytes: 2 ** 30, inputs: { holdMs } })
          .expect(201)
      ).body as { id: string }
    ).id;

  beforeAll(async () => {
    database = await schedulerDatabase('sched_billing');
    alpha = await seedTenant(database.db, 'alpha');
    beta = await seedTenant(database.db, 'beta');
    const [admin] = await database.db.query<{ id: string }[]>(
      `INSERT INTO principals (tenant_id, kind, name, roles) VALUES (NULL, 'service', 'billing-admin', '{platform-admin}') RETURNING id`,
    );
    const key = generateApiKey();
    await database.db.query(
      `INSERT INTO api_keys (principal_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'e2e')`,
      [(admin as { id: string }).id, key.prefix, key.hash],
    );
    adminKey = key.key;
    const queuePrefix = `vf-sched-billing-${process.pid}`;
    const common = { DATABASE_URL: database.url, QUEUE_PREFIX: queuePrefix, NODE_LOST_AFTER_MS: '3000' };
    apps.push(startApp('scheduler', SCHEDULER, common));
    apps.push(startApp('gateway', GATEWAY, { ...common, RATE_LIMIT_ENABLED: 'false' }));
    await Promise.all(apps.map((app) => app.waitForLine(/listening/)));

    transport = new BullMqTransport({ url: testRedisUrl(), prefix: queuePrefix });
    const reporter = new JobReporter(transport, createLogger('gpu-node', 'silent'));
    const beat = (): NodeHeartbeat => ({ ...heartbeat(NODE, { devices: 2 }), sentAt: Date.now() });
    const run = async (dispatch: JobDispatch) => {
      const base = { jobId: dispatch.jobId, attempt: dispatch.attempt, nodeId: NODE };
      const startedAt = Date.now();
      await reporter.send({ ...base, type: 'started', where: 'cuda', at: startedAt, deviceIndex: 0 });
      const holdMs = typeof dispatch.inputs.holdMs === 'number' ? dispatch.inputs.holdMs : 0;
      await new Promise<void>((resolve) => {
        const hold = setTimeout(() => {
          holds.delete(hold);
          resolve();
        }, holdMs);
        holds.add(hold);
      });
      await reporter.send({
        ...base,
        type: 'succeeded',
        where: 'cuda',
        at: Date.now(),
        durationMs: Date.now() - startedAt,
        output: {},
      });
    };
    consumer = transport.consume(
      nodeQueue(NODE),
      async (message) => {
        await Promise.all(dispatchesIn(message.data).map((d) => run(d as JobDispatch)));
      },
      { concurrency: 8 },
    );
    await transport.publish('node.heartbeat', beat());
    beating = setInterval(() => void transport.publish('node.heartbeat', beat()), 250);
    await eventually(
      async () => {
        const rows: { n: string }[] = await database.db.query(`SELECT count(*) AS n FROM nodes`);
        return Number(rows[0]?.n) === 1 ? true : undefined;
      },
      15_000,
      'the node to register',
    );
  });

  afterAll(async () => {
    clearInterval(beating);
    for (const hold of holds) clearTimeout(hold);
    await consumer?.close({ force: true });
    await transport?.close();
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await database?.close();
  });

  it('lets only platform admins set prices, refuses a bad sheet naming the field, and audits the change', async () => {
    await request(gateway).put('/admin/billing/prices').set(as(alpha.key)).send(PRICES).expect(403);
    const bad = await request(gateway)
      .put('/admin/billing/prices')
      .set(as(adminKey))
      .send({ ...PRICES, deviceClasses: [{ deviceClass: 'vram>=lots', perGpuSecond: 1 }] })
      .expect(400);
    expect((bad.body as { message: string }).message).toContain('deviceClasses[0].deviceClass');
    const negative = await request(gateway)
      .put('/admin/billing/prices')
      .set(as(adminKey))
      .send({ ...PRICES, cpuFallbackPerSecond: -1 })
      .expect(400);
    expect(JSON.stringify(negative.body)).toContain('cpuFallbackPerSecond');
    const unset = await request(gateway).get('/admin/billing/prices').set(as(adminKey)).expect(200);
    expect(unset.body).toMatchObject({ deviceClasses: [], updatedAt: null });

    const set = await request(gateway)
      .put('/admin/billing/prices')
      .set(as(adminKey))
      .send(PRICES)
      .expect(200);
    expect(set.body).toMatchObject(PRICES);
    const audited: { action: string; diff: unknown }[] = await database.db.query(
      `SELECT action, diff FROM audit_log WHERE action = 'billing.prices.set'`,
    );
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited[0]?.diff)).toContain('sm_90+');
  });

  it('bills real run time per device class, a cancelled job to its stop, and agrees with the GPU-seconds quota', async () => {
    const done = [await submit(1_500), await submit(700)];
    const long = await submit(60_000);
    for (const id of done) expect((await until(id, ['succeeded', 'failed'])).state).toBe('succeeded');
    await until(long, ['running']);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await request(gateway).post(`/v1/jobs/${long}/cancel`).set(as(alpha.key)).expect(200);

    const rows: { gpu_seconds: number }[] = await database.db.query(
      `SELECT extract(epoch FROM finished_at - started_at)::float8 * cardinality(device_ids) AS gpu_seconds
         FROM jobs WHERE tenant_id = $1 ORDER BY submitted_at`,
      [alpha.tenantId],
    );
    const expected = rows.reduce((sum, r) => sum + r.gpu_seconds, 0);
    // The cancelled job is billed to its cancel, not to the end of its hold.
    expect(rows[2]?.gpu_seconds).toBeGreaterThan(0.9);
    expect(rows[2]?.gpu_seconds).toBeLessThan(10);

    const bill = (await request(gateway).get('/admin/billing').set(as(alpha.key)).expect(200))
      .body as BillingBody;
    expect(bill.currency).toBe('EUR');
    expect(bill.lines).toHaveLength(1);
    const line = bill.lines[0] as BillingLine;
    expect(line).toMatchObject({ tenantId: alpha.tenantId, deviceClass: 'sm_90+', jobs: 3, cpuSeconds: 0 });
    expect(line.gpuSeconds).toBeCloseTo(expected, 2);
    expect(line.cost).toBeCloseTo(expected * 0.002, 5);
    expect(line.idleReservedGpuSeconds).toBeGreaterThanOrEqual(0);

    // Reconciled against the GPU-seconds quota counter admission uses (GET /v1/quota).
    const counted = await eventually(
      async () => {
        const quota = await request(gateway).get('/v1/quota').set(as(alpha.key)).expect(200);
        const used = (quota.body as { quotas: { quota: string; used: number }[] }).quotas.find(
          (q) => q.quota === 'gpuSecondsPerDay',
        )?.used;
        return used !== undefined && Math.abs(used - line.gpuSeconds) < 0.01 ? used : undefined;
      },
      10_000,
      'the GPU-seconds counter to match the bill',
    );
    expect(counted).toBeCloseTo(line.gpuSeconds, 2);
  });

  it('answers CSV, scopes tenants, and refuses a bad window naming the field', async () => {
    const csv = await request(gateway)
      .get(`/admin/billing?tenantId=${alpha.tenantId}`)
      .set(as(adminKey))
      .set('accept', 'text/csv')
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = csv.text.trim().split('\r\n');
    expect(header).toBe(
      'tenant_id,device_class,jobs,gpu_seconds,cpu_seconds,cost,idle_reserved_gpu_seconds,idle_reserved_cost,currency,from,to',
    );
    expect(row).toMatch(new RegExp(`^${alpha.tenantId},sm_90\\+,3,`));
    const byFormat = await request(gateway).get('/admin/billing?format=csv').set(as(adminKey)).expect(200);
    expect(byFormat.headers['content-type']).toMatch(/^text\/csv/);

    // Another tenant's bill is not found for a tenant principal; the platform sees both.
    await request(gateway).get(`/admin/billing?tenantId=${beta.tenantId}`).set(as(alpha.key)).expect(404);
    const all = (await request(gateway).get('/admin/billing').set(as(adminKey)).expect(200))
      .body as BillingBody;
    expect(all.tenants.map((t) => t.tenantId)).toEqual([alpha.tenantId]);
    const empty = (
      await request(gateway).get(`/admin/billing?tenantId=${beta.tenantId}`).set(as(adminKey)).expect(200)
    ).body as BillingBody;
    expect(empty.lines).toEqual([]);

    const backwards = await request(gateway)
      .get('/admin/billing?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')
      .set(as(adminKey))
      .expect(400);
    expect((backwards.body as { message: string }).message).toContain('to:');
    await request(gateway).get('/admin/billing?from=yesterday').set(as(adminKey)).expect(400);
    await request(gateway).get('/admin/billing?format=xml').set(as(adminKey)).expect(400);
  });

  it('bills a run stopped by its node going quiet up to the moment it left the node', async () => {
    const id = await submit(60_000, beta);
    await until(id, ['running'], beta);
    // The node stops beating: the scheduler declares it lost and requeues the job.
    clearInterval(beating);
    await until(id, ['requeued'], beta);
    const [times] = await database.db.query<{ started: Date; left: Date }[]>(
      `SELECT j.started_at AS started,
              (SELECT min(t.at) FROM job_transitions t WHERE t.job_id = j.id AND t.from_state = 'running') AS left
         FROM jobs j WHERE j.id = $1`,
      [id],
    );
    const ran = ((times?.left.getTime() ?? 0) - (times?.started.getTime() ?? 0)) / 1000;
    expect(ran).toBeGreaterThan(2);
    // Billed later, still only to the requeue: the run does not go on accruing.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const bill = (await request(gateway).get('/admin/billing').set(as(beta.key)).expect(200))
      .body as BillingBody;
    expect(bill.lines).toHaveLength(1);
    expect(bill.lines[0]).toMatchObject({ deviceClass: 'sm_90+', jobs: 1 });
    expect(bill.lines[0]?.gpuSeconds).toBeCloseTo(ran, 2);
  });
});
