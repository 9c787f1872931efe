import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NODE_EVENTS_QUEUE, type NodeEvent } from '@voxelfleet/contracts';
import { BullMqTransport } from '@voxelfleet/transport';
import request from 'supertest';
import { testRedisUrl } from '../support/env.js';
import type { SpawnedApp } from '../support/spawned-app.js';
import {
  eventually,
  schedulerDatabase,
  seedTenant,
  startApp,
  type TenantFixture,
} from './scheduler-fixture.js';

const GATEWAY = 4400;
const SCHEDULER = 4401;
const NODES = [4402, 4403];
const SOLO = 4404;
const gateway = `http://127.0.0.1:${GATEWAY}`;

interface JobBody {
  id: string;
  state: string;
  nodeId: string | null;
  placedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  pending: { summary: string; blockers: { kind: string; quota?: string; shortfall: number }[] } | null;
  transitions: { from: string | null; to: string; reason: string; attempt: number }[];
  error: { code: string } | null;
}

describe('scheduler: jobs from submit to outcome (real Postgres, Redis, gateway, scheduler, CPU nodes)', () => {
  let database: Awaited<ReturnType<typeof schedulerDatabase>>;
  const apps: SpawnedApp[] = [];
  let open: TenantFixture;
  let narrow: TenantFixture;

  const submit = (tenant: TenantFixture, body: Record<string, unknown>) =>
    request(gateway).post('/v1/jobs').set('authorization', `Bearer ${tenant.key}`).send(body);
  const job = async (tenant: TenantFixture, id: string): Promise<JobBody> =>
    (await request(gateway).get(`/v1/jobs/${id}`).set('authorization', `Bearer ${tenant.key}`).expect(200))
      .body as JobBody;
  const until = (tenant: TenantFixture, id: string, states: string[], timeoutMs = 20_000) =>
    eventually(
      async () => {
        const body = await job(tenant, id);
        return states.includes(body.state) ? body : undefined;
      },
      timeoutMs,
      `job ${id} to reach ${states.join('|')}`,
    );

  beforeAll(async () => {
    database = await schedulerDatabase('sched_jobs');
    open = await seedTenant(database.db, 'open');
    // One job at a time and small VRAM: quota waits and refusals are easy to provoke.
    narrow = await seedTenant(database.db, 'narrow', {
      edition: 'pro',
      quota: { jobsPerMinute: 1, vramBytesPerDevice: 1024 },
    });
    const common = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: `vf-sched-jobs-${process.pid}`,
      NODE_LOST_AFTER_MS: '3000',
      HEARTBEAT_INTERVAL_MS: '250',
    };
    await database.db.query(
      `INSERT INTO node_controls (node_id, state, reason) VALUES ('solo', 'cordoned', 'e2e')`,
    );
    apps.push(
      startApp('scheduler', SCHEDULER, {
        ...common,
        SCHEDULER_RECORD_TRACE: 'true',
        // Rounds often enough for the retention test below.
        SCHEDULER_RETENTION_INTERVAL_MS: '500',
      }),
    );
    NODES.forEach((port, i) =>
      apps.push(startApp('gpu-node', port, { ...common, NODE_ID: `cpu-${i}`, CPU_SLOTS: '2' })),
    );
    apps.push(
      startApp('gpu-node', SOLO, { ...common, NODE_ID: 'solo', CPU_SLOTS: '1', MAX_CONCURRENT_JOBS: '1' }),
    );
    apps.push(startApp('gateway', GATEWAY, { ...common, RATE_LIMIT_ENABLED: 'false' }));
    await Promise.all(apps.map((app) => app.waitForLine(/listening/)));
    // The scheduler registers nodes from their heartbeats (and writes them for the gateway).
    await eventually(
      async () => {
        const rows: { n: string }[] = await database.db.query(`SELECT count(*) AS n FROM nodes`);
        return Number(rows[0]?.n) === NODES.length + 1 ? true : undefined;
      },
      15_000,
      'nodes to register',
    );
  });

  afterAll(async () => {
    if (process.env.E2E_DUMP) {
      const { writeFileSync } = await import('node:fs');
      apps.forEach((app, i) => writeFileSync(`${process.env.E2E_DUMP}-${i}.log`, app.output()));
    }
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await database?.close();
  });

  it('runs a job to success and shows every transition with its reason', async () => {
    const created = await submit(open, {
      kernel: 'noop',
      priority: 'normal',
      cpuFallbackAllowed: true,
    }).expect(201);
    const done = await until(open, (created.body as JobBody).id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    expect(done.transitions.map((t) => t.to)).toEqual([
      'submitted',
      'admitted',
      'placed',
      'running',
      'succeeded',
    ]);
    expect(done.transitions.every((t) => t.reason.length > 0)).toBe(true);
    expect(done.nodeId).toMatch(/^cpu-/);
  });

  it('refuses at submit, with the reason, a job that could never fit its quota', async () => {
    const refused = await submit(narrow, {
      kernel: 'noop',
      priority: 'normal',
      vramBytes: 4096,
      cpuFallbackAllowed: true,
    }).expect(422);
    expect(refused.body.error).toBe('exceeds-quota');
    expect(refused.body.message).toMatch(/vramBytesPerDevice/);
    const tooBig = await submit(open, { kernel: 'noop', priority: 'normal', vramBytes: 2 ** 40 }).expect(422);
    expect(tooBig.body.message).toMatch(/vramBytesPerDevice|device/);
    const badPriority = await submit(open, { kernel: 'noop', priority: 'urgent' }).expect(400);
    expect(JSON.stringify(badPriority.body.message)).toMatch(/priority/);
    const rows: { n: string }[] = await database.db.query(
      `SELECT count(*) AS n FROM jobs WHERE tenant_id = $1`,
      [narrow.tenantId],
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('explains a quota wait with the quota and shortfall, and cancels a queued job', async () => {
    // One job a minute: the first runs, the second must wait for the rate window.
    await submit(narrow, { kernel: 'noop', priority: 'normal', cpuFallbackAllowed: true }).expect(201);
    const second = await submit(narrow, {
      kernel: 'noop',
      priority: 'normal',
      cpuFallbackAllowed: true,
    }).expect(201);
    const waiting = await eventually(
      async () => {
        const body = await job(narrow, (second.body as JobBody).id);
        return body.pending?.blockers.length ? body : undefined;
      },
      5_000,
      'a pending reason',
    );
    expect(waiting.state).toBe('submitted');
    expect(waiting.pending?.summary).toMatch(/jobsPerMinute/);
    expect(waiting.pending?.blockers[0]).toMatchObject({
      kind: 'quota',
      quota: 'jobsPerMinute',
      shortfall: 1,
    });
    const cancelled = await request(gateway)
      .post(`/v1/jobs/${(second.body as JobBody).id}/cancel`)
      .set('authorization', `Bearer ${narrow.key}`)
      .expect(200);
    expect((cancelled.body as JobBody).state).toBe('cancelled');
    await request(gateway)
      .post(`/v1/jobs/${(second.body as JobBody).id}/cancel`)
      .set('authorization', `Bearer ${narrow.key}`)
      .expect(409);
  });

  it('places waiting work by priority and expires a job whose deadline passes', async () => {
    // The solo node (one CPU slot) starts cordoned: jobs pinned to it queue up.
    const pinned = (priority: string, extra: Record<string, unknown> = {}) =>
      submit(open, {
        kernel: 'noop',
        priority,
        cpuFallbackAllowed: true,
        affinity: { nodeId: 'solo' },
        ...extra,
      }).expect(201);
    const low = await pinned('low');
    const late = await pinned('background', { deadline: new Date(Date.now() + 300).toISOString() });
    const high = await pinned('high');
    const blocked = await eventually(
      async () => {
        const body = await job(open, (low.body as JobBody).id);
        return body.pending?.blockers.length ? body : undefined;
      },
      5_000,
      'a capacity reason',
    );
    expect(blocked.state).toBe('admitted');
    expect(blocked.pending?.blockers[0]?.kind).toBe('capacity');

    const expired = await until(open, (late.body as JobBody).id, ['expired', 'succeeded']);
    expect(expired.state).toBe('expired');
    expect(expired.transitions.at(-1)?.reason).toMatch(/deadline/);

    await database.db.query(`UPDATE node_controls SET state = 'ready' WHERE node_id = 'solo'`);
    const [highDone, lowDone] = await Promise.all([
      until(open, (high.body as JobBody).id, ['succeeded']),
      until(open, (low.body as JobBody).id, ['succeeded']),
    ]);
    expect(highDone.nodeId).toBe('solo');
    expect(Date.parse(highDone.placedAt ?? '')).toBeLessThan(Date.parse(lowDone.placedAt ?? ''));
  });

  it('runs a workflow with fan-out and fan-in, each step after its parents', async () => {
    const step = (key: string, dependsOn: string[] = []) => ({
      key,
      kernel: 'noop',
      priority: 'normal',
      cpuFallbackAllowed: true,
      estimatedDurationMs: key === 'b' ? 5_000 : 100,
      dependsOn: dependsOn.map((parent) => ({ step: parent })),
    });
    const created = await request(gateway)
      .post('/v1/workflows')
      .set('authorization', `Bearer ${open.key}`)
      .send({ name: 'fan', steps: [step('a'), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])] })
      .expect(201);
    const id = (created.body as { id: string; criticalPath: string[] }).id;
    expect((created.body as { criticalPath: string[] }).criticalPath).toEqual(['a', 'b', 'd']);
    const finished = await eventually(
      async () => {
        const body = (
          await request(gateway)
            .get(`/v1/workflows/${id}`)
            .set('authorization', `Bearer ${open.key}`)
            .expect(200)
        ).body as { state: string; steps: { key: string; jobId: string }[] };
        return body.state === 'running' ? undefined : body;
      },
      20_000,
      'the workflow to finish',
    );
    expect(finished.state).toBe('succeeded');
    const steps = Object.fromEntries(
      await Promise.all(finished.steps.map(async (s) => [s.key, await job(open, s.jobId)] as const)),
    );
    const started = (key: string) => Date.parse(steps[key]?.startedAt ?? steps[key]?.placedAt ?? '');
    const ended = (key: string) => Date.parse(steps[key]?.finishedAt ?? '');
    expect(started('b')).toBeGreaterThanOrEqual(ended('a'));
    expect(started('c')).toBeGreaterThanOrEqual(ended('a'));
    expect(started('d')).toBeGreaterThanOrEqual(Math.max(ended('b'), ended('c')));
  });

  it('refuses a workflow with a cycle and names it', async () => {
    const step = (key: string, parent: string) => ({
      key,
      kernel: 'noop',
      priority: 'normal',
      dependsOn: [{ step: parent }],
    });
    const refused = await request(gateway)
      .post('/v1/workflows')
      .set('authorization', `Bearer ${open.key}`)
      .send({ steps: [step('x', 'z'), step('y', 'x'), step('z', 'y')] })
      .expect(400);
    expect(refused.body.message).toMatch(/cycle/);
  });

  it('puts tenant-affecting decisions in the tenant audit chain and logs decisions', async () => {
    const audit: { action: string; n: string }[] = await database.db.query(
      `SELECT action, count(*) AS n FROM audit_log WHERE tenant_id = $1 GROUP BY action`,
      [open.tenantId],
    );
    const actions = Object.fromEntries(audit.map((a) => [a.action, Number(a.n)]));
    expect(actions['job.placed']).toBeGreaterThanOrEqual(1);
    expect(actions['job.submitted']).toBeGreaterThanOrEqual(1);
    // A pass's placements for the tenant are one entry that lists each job and its node.
    const placed: { resource_type: string; diff: { jobs: { jobId: string; nodeId: string }[] } }[] =
      await database.db.query(
        `SELECT resource_type, diff FROM audit_log WHERE tenant_id = $1 AND action = 'job.placed'`,
        [open.tenantId],
      );
    const listed = placed.flatMap((entry) => entry.diff.jobs);
    expect(placed.every((entry) => entry.resource_type === 'scheduling-pass')).toBe(true);
    const ran: { id: string; node_id: string }[] = await database.db.query(
      `SELECT id, node_id FROM jobs WHERE tenant_id = $1 AND state = 'succeeded' AND node_id IS NOT NULL`,
      [open.tenantId],
    );
    expect(ran.length).toBeGreaterThan(0);
    for (const job of ran) expect(listed).toContainEqual(expect.objectContaining({ jobId: job.id }));
    const decisions: { n: string }[] = await database.db.query(
      `SELECT count(*) AS n FROM scheduling_decisions WHERE kind = 'placement'`,
    );
    expect(Number(decisions[0]?.n)).toBeGreaterThanOrEqual(1);
  });

  it("appends the nodes' events to the tenant's audit chain", async () => {
    const transport = new BullMqTransport({ url: testRedisUrl(), prefix: `vf-sched-jobs-${process.pid}` });
    try {
      await transport.enqueue(NODE_EVENTS_QUEUE, 'kernel.rejected', {
        nodeId: 'cpu-0',
        type: 'kernel.rejected',
        tenantId: open.tenantId,
        jobId: 'job-from-a-node',
        attempt: 1,
        at: Date.now(),
        detail: { name: 'scale', code: 'KERNEL_TAMPERED', reason: 'PTX hash differs' },
      } satisfies NodeEvent);
    } finally {
      await transport.close();
    }
    const row = await eventually(
      async () => {
        const rows: { actor_type: string; actor_id: string; outcome: string; resource_id: string }[] =
          await database.db.query(
            `SELECT actor_type, actor_id, outcome, resource_id FROM audit_log
              WHERE tenant_id = $1 AND action = 'node.kernel.rejected'`,
            [open.tenantId],
          );
        return rows[0];
      },
      10_000,
      'the node event in the audit log',
    );
    expect(row).toEqual({
      actor_type: 'node',
      actor_id: 'cpu-0',
      outcome: 'failed',
      resource_id: 'job-from-a-node',
    });
    // Appended to the same chain as the scheduler's and the gateway's entries, link by link.
    const chain: { chain_seq: string; prev_hash: string; hash: string }[] = await database.db.query(
      `SELECT chain_seq, prev_hash, hash FROM audit_log WHERE tenant_id = $1 ORDER BY chain_seq`,
      [open.tenantId],
    );
    chain.forEach((entry, i) => {
      expect(Number(entry.chain_seq)).toBe(Number(chain[0]!.chain_seq) + i);
      if (i > 0) expect(entry.prev_hash).toBe(chain[i - 1]!.hash);
    });
  });

  it('prunes jobs that finished past their retention, and keeps recent ones', async () => {
    const recent = (
      await submit(open, { kernel: 'noop', priority: 'normal', cpuFallbackAllowed: true }).expect(201)
    ).body as { id: string };
    await until(open, recent.id, ['succeeded']);
    // A job that finished 40 days ago (the default retention is 30), through the state machine.
    const rows: { id: string }[] = await database.db.query(
      `INSERT INTO jobs (tenant_id, kernel, priority) VALUES ($1, '{"name":"noop"}', 'normal') RETURNING id`,
      [open.tenantId],
    );
    const old = rows[0]?.id as string;
    for (const sql of [
      `UPDATE jobs SET state = 'placed', node_id = 'cpu-0' WHERE id = $1`,
      `UPDATE jobs SET state = 'running' WHERE id = $1`,
      `UPDATE jobs SET state = 'succeeded', finished_at = now() - interval '40 days' WHERE id = $1`,
    ])
      await database.db.query(sql, [old]);
    await eventually(
      async () => {
        const left: unknown[] = await database.db.query(`SELECT 1 FROM jobs WHERE id = $1`, [old]);
        return left.length === 0 ? true : undefined;
      },
      10_000,
      'the leader to prune the old job',
    );
    await request(gateway).get(`/v1/jobs/${old}`).set('authorization', `Bearer ${open.key}`).expect(404);
    expect((await job(open, recent.id)).state).toBe('succeeded');
    const history: unknown[] = await database.db.query(`SELECT 1 FROM job_transitions WHERE job_id = $1`, [
      old,
    ]);
    expect(history).toEqual([]);
    const metrics = await request(`http://127.0.0.1:${SCHEDULER}`).get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /voxelfleet_scheduler_history_pruned_rows_total\{[^}]*table="jobs"[^}]*\} [1-9]/,
    );
  });

  it('replays a recorded pass to the same decisions', async () => {
    const passes: { pass_digest: string }[] = await database.db.query(
      `SELECT p.pass_digest FROM scheduling_passes p
        WHERE EXISTS (SELECT 1 FROM scheduling_decisions d WHERE d.pass_digest = p.pass_digest AND d.kind = 'placement')
        ORDER BY p.at LIMIT 3`,
    );
    expect(passes.length).toBeGreaterThanOrEqual(1);
    for (const { pass_digest: digest } of passes) {
      const replay = await request(`http://127.0.0.1:${SCHEDULER}`)
        .get(`/v1/scheduler/passes/${digest}/replay`)
        .expect(200);
      expect(replay.body).toMatchObject({ ok: true });
      expect((replay.body as { decisions: number }).decisions).toBeGreaterThanOrEqual(1);
    }
    await request(`http://127.0.0.1:${SCHEDULER}`)
      .get(`/v1/scheduler/passes/${'0'.repeat(64)}/replay`)
      .expect(404);
  });
});
