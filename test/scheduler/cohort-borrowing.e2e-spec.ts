import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { generateApiKey } from '@voxelfleet/auth';
import type { SpawnedApp } from '../support/spawned-app.js';
import {
  eventually,
  schedulerDatabase,
  seedTenant,
  startApp,
  type TenantFixture,
} from './scheduler-fixture.js';

/**
 * Borrowing between tenants with real processes: Postgres, Redis, the built gateway,
 * scheduler and a CPU gpu-node of one slot. Lender and borrower share a cohort; the borrower
 * has no running-job quota of its own and may borrow one. Its job runs on the lender's idle
 * quota; when the lender submits, the borrowed job is the one preempted (although it has the
 * same priority and is not preemptible), and it runs again once the lender is done.
 */

const SCHEDULER = 4740;
const GATEWAY = 4741;
const NODE = 4742;
const gateway = `http://127.0.0.1:${GATEWAY}`;
const MiB = 2 ** 20;
const LANES = 65_536;

interface JobBody {
  id: string;
  state: string;
  stateReason: string;
  transitions: { to: string; reason: string }[];
  pending: { reasons?: string[]; blockers?: { message: string }[] } | null;
}

interface CohortLine {
  quota: string;
  own: number;
  used: number;
  borrowed: number;
  lent: number;
  borrowingLimit: number;
}

/** A saxpy of many launches: it runs until stopped, and a stop lands between two launches. */
function longSaxpy(launches: number): Record<string, unknown> {
  const f32 = (value: number) => ({
    base64: Buffer.from(new Float32Array(LANES).fill(value).buffer).toString('base64'),
    dtype: 'f32',
  });
  return {
    kernel: 'saxpy',
    inputs: { a: 0.5, x: f32(1), y: f32(0) },
    launches,
    vramBytes: 32 * MiB,
    cpuFallbackAllowed: true,
    priority: 'normal',
  };
}

describe('borrowing between tenants of a cohort (real gateway, scheduler and CPU node)', () => {
  let database: Awaited<ReturnType<typeof schedulerDatabase>>;
  const apps: SpawnedApp[] = [];
  let lender: TenantFixture;
  let borrower: TenantFixture;
  let adminKey: string;

  const submit = async (tenant: TenantFixture, body: Record<string, unknown>): Promise<string> =>
    (
      (
        await request(gateway)
          .post('/v1/jobs')
          .set('authorization', `Bearer ${tenant.key}`)
          .send(body)
          .expect(201)
      ).body as { id: string }
    ).id;
  const job = async (tenant: TenantFixture, id: string): Promise<JobBody> =>
    (await request(gateway).get(`/v1/jobs/${id}`).set('authorization', `Bearer ${tenant.key}`).expect(200))
      .body as JobBody;
  const until = (tenant: TenantFixture, id: string, check: (body: JobBody) => boolean, what: string) =>
    eventually(
      async () => {
        const body = await job(tenant, id);
        return check(body) ? body : undefined;
      },
      30_000,
      what,
    );
  const running = (tenant: TenantFixture, id: string) =>
    until(tenant, id, (b) => b.state === 'running', `job ${id} to run`);
  const concurrentJobs = async (tenant: TenantFixture): Promise<CohortLine> => {
    const body = (
      await request(gateway).get('/v1/quota').set('authorization', `Bearer ${tenant.key}`).expect(200)
    ).body as { borrowing: { cohort: string | null; quotas: CohortLine[] } };
    expect(body.borrowing.cohort).toBe('lab');
    return body.borrowing.quotas.find((q) => q.quota === 'concurrentJobs') as CohortLine;
  };
  const quotaShows = (tenant: TenantFixture, expected: Partial<CohortLine>, what: string) =>
    eventually(
      async () => {
        const line = await concurrentJobs(tenant);
        const matches = Object.entries(expected).every(
          ([key, value]) => line[key as keyof CohortLine] === value,
        );
        return matches ? line : undefined;
      },
      10_000,
      what,
    );
  const setCohort = (tenantId: string, body: unknown) =>
    request(gateway)
      .put(`/admin/tenants/${tenantId}/cohort`)
      .set('authorization', `Bearer ${adminKey}`)
      .send(body as object);

  beforeAll(async () => {
    database = await schedulerDatabase('sched_borrow');
    lender = await seedTenant(database.db, 'lender', { quota: { concurrentJobs: 1 } });
    borrower = await seedTenant(database.db, 'borrower', { quota: { concurrentJobs: 0 } });
    const [admin] = await database.db.query<{ id: string }[]>(
      `INSERT INTO principals (tenant_id, kind, name, roles) VALUES (NULL, 'service', 'cohort-admin', '{platform-admin}') RETURNING id`,
    );
    const key = generateApiKey();
    await database.db.query(
      `INSERT INTO api_keys (principal_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'e2e')`,
      [(admin as { id: string }).id, key.prefix, key.hash],
    );
    adminKey = key.key;
    const common = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: `vf-sched-borrow-${process.pid}`,
      NODE_LOST_AFTER_MS: '3000',
    };
    apps.push(startApp('scheduler', SCHEDULER, common));
    apps.push(
      startApp('gpu-node', NODE, {
        ...common,
        NODE_ID: 'borrow-node',
        CPU_SLOTS: '1',
        MAX_CONCURRENT_JOBS: '1',
        HOST_POOL_BYTES: String(256 * MiB),
        TENANT_POOL_SHARE: '1',
        HEARTBEAT_INTERVAL_MS: '200',
      }),
    );
    apps.push(startApp('gateway', GATEWAY, { ...common, RATE_LIMIT_ENABLED: 'false' }));
    await Promise.all(apps.map((app) => app.waitForLine(/listening/)));
  });

  afterAll(async () => {
    if (process.env.E2E_DUMP) {
      const { writeFileSync } = await import('node:fs');
      apps.forEach((app, i) => writeFileSync(`${process.env.E2E_DUMP}-${i}.log`, app.output()));
    }
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await database?.close();
  });

  it('platform admins set cohorts and borrowing limits: checked, audited, tenants cannot', async () => {
    const bad = await setCohort(borrower.tenantId, { cohort: 'no spaces', borrowingLimit: {} }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('cohort');
    const negative = await setCohort(borrower.tenantId, {
      cohort: 'lab',
      borrowingLimit: { concurrentJobs: -1 },
    }).expect(400);
    expect(JSON.stringify(negative.body)).toContain('borrowingLimit.concurrentJobs');
    const unknown = await setCohort(borrower.tenantId, {
      cohort: 'lab',
      borrowingLimit: { jobsPerMinute: 5 },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('jobsPerMinute');
    await request(gateway)
      .put(`/admin/tenants/${borrower.tenantId}/cohort`)
      .set('authorization', `Bearer ${borrower.key}`)
      .send({ cohort: 'lab', borrowingLimit: { concurrentJobs: 100 } })
      .expect(403);

    await setCohort(lender.tenantId, { cohort: 'lab' }).expect(200);
    const set = await setCohort(borrower.tenantId, {
      cohort: 'lab',
      borrowingLimit: { concurrentJobs: 1 },
    }).expect(200);
    expect(set.body).toMatchObject({ cohort: 'lab', borrowingLimit: { concurrentJobs: 1 } });
    const audited = await database.db.query<{ outcome: string; diff: unknown }[]>(
      `SELECT outcome, diff FROM audit_log WHERE action = 'tenant.cohort.set' AND tenant_id = $1`,
      [borrower.tenantId],
    );
    expect(audited.map((a) => a.outcome)).toEqual(['succeeded']);
    expect(JSON.stringify(audited[0]?.diff)).toContain('lab');
  });

  it("the borrower runs on the lender's idle quota, and the lender reclaims it by preempting that job first", async () => {
    // Simulate explains what the borrower's job would borrow, and from whom.
    const dryRun = await request(gateway)
      .post('/admin/gpu/simulate')
      .set('authorization', `Bearer ${adminKey}`)
      .send({
        tenantId: borrower.tenantId,
        vramBytesPerDevice: 32 * MiB,
        gpus: 1,
        priority: 'normal',
        cpuFallbackAllowed: true,
      })
      .expect(200);
    expect(dryRun.body).toMatchObject({
      outcome: 'would-start',
      borrowing: [
        {
          quota: 'concurrentJobs',
          amount: 1,
          cohort: 'lab',
          from: [{ tenantId: lender.tenantId, amount: 1 }],
        },
      ],
    });
    expect(dryRun.body.reason).toContain('borrows concurrentJobs 1 from cohort lab');

    const borrowed = await submit(borrower, longSaxpy(1_000_000));
    await running(borrower, borrowed);
    await quotaShows(borrower, { own: 0, used: 1, borrowed: 1, lent: 0, borrowingLimit: 1 }, 'borrowed 1');
    await quotaShows(lender, { own: 1, used: 0, borrowed: 0, lent: 1 }, 'lent 1');

    // Same priority, not preemptible, only just started: it goes because its quota was lent.
    const own = await submit(lender, longSaxpy(1_000_000));
    await running(lender, own);
    const requeued = await job(borrower, borrowed);
    expect(requeued.state).not.toBe('running');
    expect(requeued.transitions.map((t) => t.reason).join('\n')).toContain(
      `its borrowed quota reclaimed by ${lender.tenantId}`,
    );
    await quotaShows(lender, { own: 1, used: 1, borrowed: 0, lent: 0 }, 'the lender to use its own');
    await quotaShows(borrower, { own: 0, used: 0, borrowed: 0 }, 'nothing borrowed');
    // Nothing left to lend: the borrower waits, and says why.
    const waiting = await until(
      borrower,
      borrowed,
      (b) => JSON.stringify(b.pending ?? '').includes('cohort lab can lend 0'),
      'the borrowed job to wait on its cohort',
    );
    expect(['submitted', 'admitted', 'requeued']).toContain(waiting.state);

    // The decision log records both: the placement that borrowed, and the reclaim.
    const decisions = await database.db.query<
      { kind: string; job_id: string; reason: string; choice: unknown }[]
    >(`SELECT kind, job_id, reason, choice FROM scheduling_decisions ORDER BY at, position`);
    const placedOnLoan = decisions.find((d) => d.kind === 'placement' && d.job_id === borrowed);
    expect(placedOnLoan?.reason).toContain('borrows concurrentJobs 1 from cohort lab');
    expect(JSON.stringify(placedOnLoan?.choice)).toContain('"borrowing"');
    const reclaim = decisions.find((d) => d.kind === 'preemption' && d.job_id === own);
    expect(reclaim?.reason).toContain('reclaim quota lent to its cohort');

    // Once the lender is done, the borrower borrows again and runs.
    await request(gateway)
      .post(`/v1/jobs/${own}/cancel`)
      .set('authorization', `Bearer ${lender.key}`)
      .expect(200);
    await running(borrower, borrowed);
    await quotaShows(borrower, { used: 1, borrowed: 1 }, 'borrowed again');
    await request(gateway)
      .post(`/v1/jobs/${borrowed}/cancel`)
      .set('authorization', `Bearer ${borrower.key}`)
      .expect(200);
  });
});
