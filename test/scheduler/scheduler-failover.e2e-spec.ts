import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { SpawnedApp } from '../support/spawned-app.js';
import {
  eventually,
  schedulerDatabase,
  seedTenant,
  slowMatmulInputs,
  startApp,
  type TenantFixture,
} from './scheduler-fixture.js';

const GATEWAY = 4410;
const SCHEDULERS = [4411, 4412];
const gateway = `http://127.0.0.1:${GATEWAY}`;
const LOST_AFTER_MS = 2_000;

describe('scheduler: failover of nodes and of the scheduler itself', () => {
  let database: Awaited<ReturnType<typeof schedulerDatabase>>;
  let tenant: TenantFixture;
  const schedulers: SpawnedApp[] = [];
  const nodes = new Map<string, SpawnedApp>();
  const others: SpawnedApp[] = [];
  const common = () => ({
    DATABASE_URL: database.url,
    QUEUE_PREFIX: `vf-sched-failover-${process.pid}`,
    NODE_LOST_AFTER_MS: String(LOST_AFTER_MS),
    HEARTBEAT_INTERVAL_MS: '250',
  });

  const states = (ids: readonly string[]) =>
    database.db.query<{ id: string; state: string; node_id: string | null }[]>(
      `SELECT id, state, node_id FROM jobs WHERE id = ANY($1::uuid[])`,
      [ids],
    );

  beforeAll(async () => {
    database = await schedulerDatabase('sched_failover');
    tenant = await seedTenant(database.db, 'failover');
    for (const port of SCHEDULERS) schedulers.push(startApp('scheduler', port, common()));
    // n1 says it has four CPU slots but runs one job at a time, so several of its jobs are
    // placed and waiting there when it dies, besides the one it is running.
    nodes.set(
      'n1',
      startApp('gpu-node', 4413, { ...common(), NODE_ID: 'n1', CPU_SLOTS: '4', MAX_CONCURRENT_JOBS: '1' }),
    );
    nodes.set('n2', startApp('gpu-node', 4414, { ...common(), NODE_ID: 'n2', CPU_SLOTS: '2' }));
    others.push(startApp('gateway', GATEWAY, { ...common(), RATE_LIMIT_ENABLED: 'false' }));
    await Promise.all(
      [...schedulers, ...nodes.values(), ...others].map((app) => app.waitForLine(/listening/)),
    );
    await eventually(
      async () => {
        const rows: { n: string }[] = await database.db.query(`SELECT count(*) AS n FROM nodes`);
        return Number(rows[0]?.n) === 2 ? true : undefined;
      },
      15_000,
      'nodes to register',
    );
  });

  afterAll(async () => {
    if (process.env.E2E_DUMP) {
      const { writeFileSync } = await import('node:fs');
      [...schedulers, ...nodes.values(), ...others].forEach((app, i) =>
        writeFileSync(`${process.env.E2E_DUMP}-f${i}.log`, app.output()),
      );
    }
    await Promise.all([...schedulers, ...nodes.values(), ...others].map((app) => app.stop('SIGKILL')));
    await database?.close();
  });

  it('finishes the jobs of a node killed mid-job elsewhere: none lost, none completed twice', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const created = await request(gateway)
        .post('/v1/jobs')
        .set('authorization', `Bearer ${tenant.key}`)
        .send({
          kernel: 'matmul.f32',
          priority: 'normal',
          cpuFallbackAllowed: true,
          inputs: slowMatmulInputs(),
        })
        .expect(201);
      ids.push((created.body as { id: string }).id);
    }
    await eventually(
      async () =>
        (await states(ids)).some((j) => j.node_id === 'n1' && j.state === 'running') ? true : undefined,
      15_000,
      'a job running on n1',
      10,
    );
    const onVictim = (await states(ids)).filter(
      (j) => j.node_id === 'n1' && ['placed', 'running'].includes(j.state),
    );
    await nodes.get('n1')?.stop('SIGKILL');
    const killedAt = Date.now();

    const final = await eventually(
      async () => {
        const rows = await states(ids);
        return rows.every((j) => ['succeeded', 'failed'].includes(j.state)) ? rows : undefined;
      },
      30_000,
      'every job to finish',
    );
    expect(final.map((j) => j.state)).toEqual(ids.map(() => 'succeeded'));
    const transitions: { job_id: string; to_state: string; reason: string; at: Date }[] =
      await database.db.query(
        `SELECT job_id, to_state, reason, at FROM job_transitions WHERE job_id = ANY($1::uuid[]) ORDER BY id`,
        [ids],
      );
    for (const id of ids) {
      expect(transitions.filter((t) => t.job_id === id && t.to_state === 'succeeded')).toHaveLength(1);
    }
    // A job n1 finished just before it died keeps that result; every other job it held was
    // requeued because the node was lost, and finished on n2.
    const requeued = transitions.filter((t) => t.to_state === 'requeued');
    expect(requeued.length).toBeGreaterThanOrEqual(1);
    for (const t of requeued) {
      expect(t.reason).toMatch(/node lost \(was on n1\)/);
      expect(final.find((j) => j.id === t.job_id)?.node_id).toBe('n2');
    }
    // Whatever n1 held when it was seen running a job either finished there first or moved.
    const requeuedIds = new Set(requeued.map((t) => t.job_id));
    for (const job of onVictim) {
      const finishedOn = final.find((j) => j.id === job.id)?.node_id;
      expect(requeuedIds.has(job.id) ? finishedOn === 'n2' : finishedOn === 'n1').toBe(true);
    }
    // Declared lost after the timeout, and requeued within 2 s of that.
    for (const t of requeued) expect(t.at.getTime() - killedAt).toBeLessThan(LOST_AFTER_MS + 2_000);
  });

  it('lets a standby take over when the leader is killed, without placing anything twice', async () => {
    const status = async (port: number) => {
      const res = await request(`http://127.0.0.1:${port}`).get('/v1/scheduler/status').timeout(1_000);
      return res.body as { leader: boolean };
    };
    const leaderIndex = (await status(SCHEDULERS[0] as number)).leader ? 0 : 1;
    const standbyPort = SCHEDULERS[1 - leaderIndex] as number;
    expect((await status(standbyPort)).leader).toBe(false);

    await schedulers[leaderIndex]?.stop('SIGKILL');
    const killedAt = Date.now();
    await eventually(
      async () => ((await status(standbyPort)).leader ? true : undefined),
      10_000,
      'the standby to lead',
      50,
    );
    expect(Date.now() - killedAt).toBeLessThan(5_000);

    const created = await request(gateway)
      .post('/v1/jobs')
      .set('authorization', `Bearer ${tenant.key}`)
      .send({ kernel: 'noop', priority: 'high', cpuFallbackAllowed: true })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await eventually(
      async () => ((await states([id]))[0]?.state === 'succeeded' ? true : undefined),
      15_000,
      'the job to succeed under the new leader',
    );
    const doubles: { n: string }[] = await database.db.query(
      `SELECT count(*) AS n FROM (SELECT job_id, attempt FROM job_transitions WHERE to_state = 'placed'
         GROUP BY job_id, attempt HAVING count(*) > 1) d`,
    );
    expect(Number(doubles[0]?.n)).toBe(0);
  });
});
