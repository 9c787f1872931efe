import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { BullMqTransport } from '@voxelfleet/transport';
import { testRedisUrl } from '../support/env.js';
import type { SpawnedApp } from '../support/spawned-app.js';
import {
  eventually,
  schedulerDatabase,
  seedTenant,
  startApp,
  type TenantFixture,
} from './scheduler-fixture.js';

/**
 * Stopping runs on preemption and cancellation, with real processes: Postgres, Redis, the
 * built gateway, scheduler and a CPU gpu-node of one slot. A long-running job is a saxpy of
 * many launches (each takes the previous launch's y), so it runs until stopped and a stop
 * lands between two launches. What is checked is what the node itself says: its host pool
 * (the memory its CPU jobs are charged) and its free CPU slot.
 */

const SCHEDULER = 4710;
const GATEWAY = 4711;
const NODE = 4712;
const gateway = `http://127.0.0.1:${GATEWAY}`;
const node = `http://127.0.0.1:${NODE}`;
const MiB = 2 ** 20;
const JOB_VRAM = 32 * MiB;
/** 64 Ki lanes: a launch takes a few milliseconds (decode, run, encode), the body stays under 1 MB. */
const LANES = 65_536;
/** About five seconds of launches on an idle core; the test allows far more. */
const VICTIM_LAUNCHES = 1_500;

interface JobBody {
  id: string;
  state: string;
  output: { y?: { base64: string } | number[] } | null;
  startedAt: string | null;
  finishedAt: string | null;
  transitions: { to: string; reason: string; attempt: number }[];
}

/** x = 1, y = 0, a = 0.5: after n launches every y is n / 2, exactly, in float32. */
function countingSaxpy(launches: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const f32 = (value: number) => ({
    base64: Buffer.from(new Float32Array(LANES).fill(value).buffer).toString('base64'),
    dtype: 'f32',
  });
  return {
    kernel: 'saxpy',
    inputs: { a: 0.5, x: f32(1), y: f32(0) },
    launches,
    vramBytes: JOB_VRAM,
    cpuFallbackAllowed: true,
    ...extra,
  };
}

function ys(output: JobBody['output']): number[] {
  const y = output?.y;
  if (!y) return [];
  if (Array.isArray(y)) return y;
  const bytes = Buffer.from(y.base64, 'base64');
  return [...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)];
}

describe('stop on preemption and cancellation (real gateway, scheduler and CPU node)', () => {
  let database: Awaited<ReturnType<typeof schedulerDatabase>>;
  const apps: SpawnedApp[] = [];
  let nodeApp: SpawnedApp;
  let tenant: TenantFixture;
  let transport: BullMqTransport;
  let unsubscribe: (() => Promise<void>) | undefined;
  let latest: NodeHeartbeat | undefined;

  const submit = async (body: Record<string, unknown>): Promise<string> =>
    (
      (
        await request(gateway)
          .post('/v1/jobs')
          .set('authorization', `Bearer ${tenant.key}`)
          .send(body)
          .expect(201)
      ).body as { id: string }
    ).id;
  const job = async (id: string): Promise<JobBody> =>
    (await request(gateway).get(`/v1/jobs/${id}`).set('authorization', `Bearer ${tenant.key}`).expect(200))
      .body as JobBody;
  const until = (id: string, states: string[], timeoutMs = 30_000) =>
    eventually(
      async () => {
        const body = await job(id);
        return states.includes(body.state) ? body : undefined;
      },
      timeoutMs,
      `job ${id} to reach ${states.join('|')}`,
    );
  /** Host memory the node charges the tenant's CPU jobs, from the node's own metrics. */
  const heldOnNode = async (): Promise<number> => {
    const text = (await request(node).get('/metrics').expect(200)).text;
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('voxelfleet_host_pool_allocated_bytes{') && l.includes(`tenant="${tenant.tenantId}"`),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  };
  /** The node's free CPU slots as its latest heartbeat says. */
  const freeSlots = (): Promise<number | undefined> => Promise.resolve(latest?.cpu.slots?.free);
  const stoppingOf = async (id: string): Promise<unknown> =>
    (await database.db.query<{ stopping: unknown }[]>(`SELECT stopping FROM jobs WHERE id = $1`, [id]))[0]
      ?.stopping ?? null;

  beforeAll(async () => {
    database = await schedulerDatabase('sched_stop');
    tenant = await seedTenant(database.db, 'stopper');
    const common = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: `vf-sched-stop-${process.pid}`,
      NODE_LOST_AFTER_MS: '3000',
      // Preemption may stop a job that has run half a second (the default is 30 s).
      SCHEDULER_PREEMPTION_MIN_RUNTIME_MS: '500',
    };
    transport = new BullMqTransport({ url: testRedisUrl(), prefix: common.QUEUE_PREFIX });
    unsubscribe = await transport.subscribe('node.heartbeat', (beat) => {
      if (beat.nodeId === 'stop-node') latest = beat;
    });
    apps.push(startApp('scheduler', SCHEDULER, common));
    nodeApp = startApp('gpu-node', NODE, {
      ...common,
      NODE_ID: 'stop-node',
      CPU_SLOTS: '1',
      MAX_CONCURRENT_JOBS: '1',
      HOST_POOL_BYTES: String(256 * MiB),
      TENANT_POOL_SHARE: '1',
      HEARTBEAT_INTERVAL_MS: '200',
    });
    apps.push(nodeApp);
    apps.push(startApp('gateway', GATEWAY, { ...common, RATE_LIMIT_ENABLED: 'false' }));
    await Promise.all(apps.map((app) => app.waitForLine(/listening/)));
    await eventually(
      async () => ((await freeSlots()) === 1 ? true : undefined),
      15_000,
      'the node to register',
    );
  });

  afterAll(async () => {
    if (process.env.E2E_DUMP) {
      const { writeFileSync } = await import('node:fs');
      apps.forEach((app, i) => writeFileSync(`${process.env.E2E_DUMP}-${i}.log`, app.output()));
    }
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await unsubscribe?.();
    await transport?.close();
    await database?.close();
  });

  it('cancel stops the run on its node: its pool job and slot are free, and nothing is recorded as its result', async () => {
    const id = await submit(countingSaxpy(1_000_000, { priority: 'normal' }));
    await until(id, ['running']);
    await eventually(
      async () => ((await heldOnNode()) >= JOB_VRAM ? true : undefined),
      10_000,
      'the run to hold its pool job on the node',
    );
    await eventually(
      async () => ((await freeSlots()) === 0 ? true : undefined),
      5_000,
      'the slot to be taken',
    );

    const cancelled = await request(gateway)
      .post(`/v1/jobs/${id}/cancel`)
      .set('authorization', `Bearer ${tenant.key}`)
      .expect(200);
    expect((cancelled.body as JobBody).state).toBe('cancelled');

    // The node stops it at the next launch boundary and frees what it held, for real.
    await eventually(
      async () => ((await heldOnNode()) === 0 ? true : undefined),
      10_000,
      'the pool to be freed',
    );
    await eventually(
      async () => ((await freeSlots()) === 1 ? true : undefined),
      10_000,
      'the slot to be free',
    );
    // The scheduler took the node's confirmation: the room is no longer held.
    await eventually(
      async () => ((await stoppingOf(id)) === null ? true : undefined),
      10_000,
      'the stop to be confirmed',
    );
    const after = await job(id);
    expect(after.state).toBe('cancelled');
    expect(after.output).toBeNull();
    expect(nodeApp.output()).toMatch(new RegExp(`"jobId":"${id}".*"reason":"cancelled".*stopping job`));

    // The room is used again.
    const next = await submit({ kernel: 'noop', cpuFallbackAllowed: true });
    expect((await until(next, ['succeeded', 'failed'])).state).toBe('succeeded');
  }, 90_000);

  it('preemption notices a checkpointable run, which checkpoints, frees its room and resumes from its checkpoint', async () => {
    const launches = VICTIM_LAUNCHES;
    const victim = await submit(
      countingSaxpy(launches, {
        priority: 'background',
        preemptible: true,
        checkpointable: true,
        preemptionGraceSeconds: 30,
      }),
    );
    await until(victim, ['running']);
    await eventually(
      async () => ((await heldOnNode()) >= JOB_VRAM ? true : undefined),
      10_000,
      'the victim to hold its pool job on the node',
    );
    await new Promise((r) => setTimeout(r, 1_000));

    const urgent = await submit({
      kernel: 'saxpy',
      inputs: { a: 2, x: [1, 2], y: [1, 1] },
      priority: 'high',
      cpuFallbackAllowed: true,
    });
    const done = await until(urgent, ['succeeded', 'failed'], 30_000);
    expect(done.state).toBe('succeeded');
    expect(ys(done.output)).toEqual([3, 5]);

    // The victim wrote a checkpoint part way, kept with the job.
    const [row] = await database.db.query<
      { checkpoint: { launchesDone: number } | null; checkpoint_at: Date | null }[]
    >(`SELECT checkpoint, checkpoint_at FROM jobs WHERE id = $1`, [victim]);
    const done1 = row?.checkpoint?.launchesDone ?? 0;
    expect(done1).toBeGreaterThan(0);
    expect(done1).toBeLessThan(launches);
    expect(row?.checkpoint_at).not.toBeNull();
    // The preemptor was placed only once the node had confirmed the stop (the checkpoint is
    // recorded as the confirmation is applied): the room was never handed out twice.
    const [order] = await database.db.query<{ confirmed: Date; placed: Date }[]>(
      `SELECT v.checkpoint_at AS confirmed, u.placed_at AS placed FROM jobs v, jobs u WHERE v.id = $1 AND u.id = $2`,
      [victim, urgent],
    );
    expect(order?.placed.getTime()).toBeGreaterThanOrEqual(order?.confirmed.getTime() ?? Infinity);

    // It is dispatched again from the checkpoint and finishes: y is launches / 2 only if the
    // carried state was resumed (a restart from scratch counting from the checkpoint would not).
    const finished = await until(victim, ['succeeded', 'failed'], 120_000);
    expect(finished.state).toBe('succeeded');
    const y = ys(finished.output);
    expect(y).toHaveLength(LANES);
    expect(y.every((v) => v === launches / 2)).toBe(true);
    expect(nodeApp.output()).toMatch(
      new RegExp(`"jobId":"${victim}".*"launchesDone":${done1}.*run resumes from its checkpoint`),
    );
    const moves = finished.transitions.map((t) => t.to);
    expect(moves).toEqual(expect.arrayContaining(['preempted', 'requeued', 'succeeded']));
    // The node's pool is empty once everything ended.
    await eventually(
      async () => ((await heldOnNode()) === 0 ? true : undefined),
      10_000,
      'the pool to be empty',
    );
  }, 240_000);
});
