import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { BullMqTransport } from '@voxelfleet/transport';
import request from 'supertest';
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

const GATEWAY = 4460;
const SCHEDULER = 4461;
const gateway = `http://127.0.0.1:${GATEWAY}`;
const GiB = 2 ** 30;

/** A node of one device of `memoryGiB` (an L4-sized card or an H100-sized one). */
function nodeWith(nodeId: string, memoryGiB: number): NodeHeartbeat {
  const beat = heartbeat(nodeId, { devices: 1 });
  return {
    ...beat,
    sentAt: Date.now(),
    devices: beat.devices.map((device) => ({
      ...device,
      memoryTotalBytes: memoryGiB * GiB,
      memoryFreeBytes: memoryGiB * GiB,
      ...(device.pool
        ? {
            pool: {
              ...device.pool,
              capacityBytes: memoryGiB * GiB,
              largestFreeBlockBytes: memoryGiB * GiB,
            },
          }
        : {}),
    })),
  };
}

interface JobBody {
  id: string;
  state: string;
  nodeId: string | null;
}

/**
 * Device-class grants across the gateway and scheduler processes: two GPU nodes (a 24 GiB
 * card and an 80 GiB one) beat through Redis as gpu-nodes do; a principal granted only small
 * devices must land on the small one although least-loaded scoring prefers the big one, and a
 * job no device could take under the grant is refused at submission, with an audit entry.
 */
describe('device-class grants (real Postgres, Redis, gateway and scheduler processes)', () => {
  let database: Awaited<ReturnType<typeof schedulerDatabase>>;
  const apps: SpawnedApp[] = [];
  let transport: BullMqTransport;
  let beating: NodeJS.Timeout | undefined;
  let open: TenantFixture;
  let small: TenantFixture;
  let future: TenantFixture;

  const submit = (tenant: TenantFixture, body: Record<string, unknown>) =>
    request(gateway).post('/v1/jobs').set('authorization', `Bearer ${tenant.key}`).send(body);
  const placedOn = (tenant: TenantFixture, id: string) =>
    eventually(
      async () => {
        const res = await request(gateway).get(`/v1/jobs/${id}`).set('authorization', `Bearer ${tenant.key}`);
        const body = res.body as JobBody;
        return body.nodeId !== null ? body.nodeId : undefined;
      },
      20_000,
      `job ${id} to be placed`,
    );
  const limitGrants = (tenant: TenantFixture, classes: string[]) =>
    database.db.query(
      `UPDATE gpu_grants SET device_classes = $2, cpu_fallback = false WHERE tenant_id = $1`,
      [tenant.tenantId, classes],
    );

  beforeAll(async () => {
    database = await schedulerDatabase('sched_grants');
    open = await seedTenant(database.db, 'open');
    small = await seedTenant(database.db, 'small');
    future = await seedTenant(database.db, 'future');
    await limitGrants(small, ['vram<=24GiB']);
    await limitGrants(future, ['sm_100+']);
    const queuePrefix = `vf-sched-grants-${process.pid}`;
    const common = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: queuePrefix,
      NODE_LOST_AFTER_MS: '3000',
    };
    apps.push(startApp('scheduler', SCHEDULER, common));
    apps.push(startApp('gateway', GATEWAY, { ...common, RATE_LIMIT_ENABLED: 'false' }));
    await Promise.all(apps.map((app) => app.waitForLine(/listening/)));
    transport = new BullMqTransport({ url: testRedisUrl(), prefix: queuePrefix });
    const beat = async () => {
      await transport.publish('node.heartbeat', nodeWith('big-node', 80));
      await transport.publish('node.heartbeat', nodeWith('small-node', 24));
    };
    await beat();
    beating = setInterval(() => void beat(), 250);
    await eventually(
      async () => {
        const rows: { n: string }[] = await database.db.query(`SELECT count(*) AS n FROM nodes`);
        return Number(rows[0]?.n) === 2 ? true : undefined;
      },
      15_000,
      'both nodes to register',
    );
  });

  afterAll(async () => {
    clearInterval(beating);
    await transport?.close();
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await database?.close();
  });

  it('places an unrestricted job on the big device, the least loaded', async () => {
    const created = await submit(open, { kernel: 'noop', priority: 'normal', vramBytes: GiB }).expect(201);
    expect(await placedOn(open, (created.body as JobBody).id)).toBe('big-node');
  });

  it('never places a principal granted only small devices on the big one', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const created = await submit(small, { kernel: 'noop', priority: 'normal', vramBytes: GiB }).expect(201);
      ids.push((created.body as JobBody).id);
    }
    for (const id of ids) expect(await placedOn(small, id)).toBe('small-node');
    const rows: { granted_device_classes: string[] }[] = await database.db.query(
      `SELECT granted_device_classes FROM jobs WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows.map((r) => r.granted_device_classes)).toEqual(ids.map(() => ['vram<=24GiB']));
    const shown = await request(gateway)
      .get(`/v1/jobs/${ids[0]}`)
      .set('authorization', `Bearer ${small.key}`);
    expect((shown.body as { grantedDeviceClasses: unknown }).grantedDeviceClasses).toEqual(['vram<=24GiB']);
  });

  it('keeps workflow steps to the grant too, and refuses a workflow with a step no granted device fits', async () => {
    const step = (key: string, vramBytes: number, dependsOn: string[] = []) => ({
      key,
      kernel: 'noop',
      priority: 'normal',
      vramBytes,
      dependsOn: dependsOn.map((parent) => ({ step: parent })),
    });
    const created = await request(gateway)
      .post('/v1/workflows')
      .set('authorization', `Bearer ${small.key}`)
      .send({ steps: [step('a', GiB), step('b', GiB, ['a'])] })
      .expect(201);
    const id = (created.body as { id: string }).id;
    const rows: { step: string; granted_device_classes: string[] }[] = await database.db.query(
      `SELECT step, granted_device_classes FROM jobs WHERE workflow_id = $1 ORDER BY step`,
      [id],
    );
    expect(rows).toEqual([
      { step: 'a', granted_device_classes: ['vram<=24GiB'] },
      { step: 'b', granted_device_classes: ['vram<=24GiB'] },
    ]);
    const root = await database.db.query<{ id: string }[]>(
      `SELECT id FROM jobs WHERE workflow_id = $1 AND step = 'a'`,
      [id],
    );
    expect(await placedOn(small, (root[0] as { id: string }).id)).toBe('small-node');
    const refused = await request(gateway)
      .post('/v1/workflows')
      .set('authorization', `Bearer ${small.key}`)
      .send({ steps: [step('a', GiB), step('big', 32 * GiB, ['a'])] })
      .expect(422);
    expect((refused.body as { message: string }).message).toContain('steps[1] (big)');
    const audited: { reason: string }[] = await database.db.query(
      `SELECT reason FROM audit_log WHERE action = 'job.rejected' AND tenant_id = $1`,
      [small.tenantId],
    );
    expect(audited.map((a) => a.reason)).toEqual([expect.stringContaining('steps[1] (big)')]);
  });

  it('refuses at submission, with the reason and an audit entry, a job no granted device fits', async () => {
    const tooBig = await submit(small, { kernel: 'noop', priority: 'normal', vramBytes: 32 * GiB }).expect(
      422,
    );
    expect((tooBig.body as { message: string }).message).toContain(
      'the largest matching device in the fleet has 24 GiB',
    );
    const noClass = await submit(future, { kernel: 'noop', priority: 'normal', vramBytes: GiB }).expect(422);
    expect((noClass.body as { message: string }).message).toContain(
      'no device in the fleet matches device class granted (sm_100+)',
    );
    const audited: { tenant_id: string; reason: string }[] = await database.db.query(
      `SELECT tenant_id, reason FROM audit_log WHERE action = 'job.rejected' AND reason NOT LIKE 'steps[%' ORDER BY seq`,
    );
    expect(audited.map((a) => a.tenant_id)).toEqual([small.tenantId, future.tenantId]);
    expect(audited[1]?.reason).toContain('granted (sm_100+)');
  });

  it('says in simulate which grant limits the kernel, and places within it', async () => {
    const res = await request(gateway)
      .post('/admin/gpu/simulate')
      .set('authorization', `Bearer ${small.key}`)
      .send({ vramBytesPerDevice: GiB, gpus: 1, priority: 'normal', kernel: { name: 'noop' } })
      .expect(200);
    const body = res.body as {
      grantLimit: { kernel: string; grantIds: string[]; deviceClasses: string[] } | null;
      placement: { nodeId: string } | null;
    };
    expect(body.grantLimit).toMatchObject({ kernel: 'noop', deviceClasses: ['vram<=24GiB'] });
    expect(body.grantLimit?.grantIds).toHaveLength(1);
    expect(body.placement?.nodeId).toBe('small-node');
  });
});
