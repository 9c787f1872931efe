import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestDatabase } from '../support/database.js';
import { testRedisUrl } from '../support/env.js';
import { SpawnedApp } from '../support/spawned-app.js';

const APPS = [
  { name: 'gateway', port: 4100, database: true },
  { name: 'scheduler', port: 4101, database: true },
  { name: 'gpu-node', port: 4102, database: false },
  { name: 'tracker', port: 4103, database: true },
] as const;

describe('each app on its own, against real Postgres and Redis', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const running = new Map<string, SpawnedApp>();

  beforeAll(async () => {
    db = await createTestDatabase('apps');
    // Started together: all migrate at start, and the advisory lock makes that safe.
    for (const app of APPS) {
      running.set(
        app.name,
        SpawnedApp.start(`dist/apps/${app.name}/src/main.js`, {
          PORT: String(app.port),
          HOST: '127.0.0.1',
          DATABASE_URL: app.database ? db.url : undefined,
          REDIS_URL: testRedisUrl(),
          QUEUE_PREFIX: `vf-e2e-${process.pid}`,
          NODE_ID: 'e2e-node',
          NODE_LOST_AFTER_MS: '1500',
          LOG_LEVEL: 'info',
        }),
      );
    }
    await Promise.all([...running.values()].map((app) => app.waitForLine(/listening/)));
  });

  afterAll(async () => {
    await Promise.all([...running.values()].map((app) => app.stop('SIGKILL')));
    await db.drop();
  });

  describe.each(APPS)('$name', ({ name, port, database }) => {
    const url = `http://127.0.0.1:${port}`;

    it('is live and ready, checking its dependencies', async () => {
      await request(url).get('/health/live').expect(200);
      const ready = await request(url).get('/health/ready').expect(200);
      expect(ready.body.status).toBe('ok');
      expect(ready.body.info.transport.status).toBe('up');
      if (database) expect(ready.body.info.database.status).toBe('up');
      else expect(ready.body.info.database).toBeUndefined();
    });

    it('exposes Prometheus metrics labelled with the app', async () => {
      await request(url).get('/health/live');
      const metrics = await request(url).get('/metrics').expect(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.text).toContain(`process_cpu_user_seconds_total{app="${name}"}`);
      const liveCount = metrics.text
        .split('\n')
        .find(
          (line) =>
            line.startsWith('voxelfleet_http_request_duration_seconds_count{') &&
            line.includes('route="/health/live"') &&
            line.includes('status="200"') &&
            line.includes(`app="${name}"`),
        );
      expect(Number(liveCount?.split(' ').pop())).toBeGreaterThanOrEqual(1);
    });

    it('logs JSON lines carrying the request id it echoes back', async () => {
      const app = running.get(name);
      await request(url)
        .get('/no-such-route')
        .set('x-request-id', `probe-${name}`)
        .expect(404)
        .expect('x-request-id', `probe-${name}`);
      await app?.waitForLine(new RegExp(`probe-${name}`));
      const line = app?.logs().find((entry) => JSON.stringify(entry).includes(`probe-${name}`));
      expect(line).toMatchObject({ app: name, req: { id: `probe-${name}` } });
    });

    it('answers unknown routes with a JSON 404, never a stack trace', async () => {
      const response = await request(url).get('/definitely/not/here').expect(404);
      expect(response.body).toMatchObject({ statusCode: 404 });
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js:\d+/);
    });
  });

  it('serves OpenAPI on the gateway', async () => {
    const doc = await request('http://127.0.0.1:4100').get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.info.title).toBe('Voxelfleet gateway');
  });

  it('rejects malformed and oversized JSON bodies with 4xx', async () => {
    await request('http://127.0.0.1:4100')
      .post('/health/live')
      .set('content-type', 'application/json')
      .send('{"broken"')
      .expect(400);
    const huge = JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) });
    await request('http://127.0.0.1:4100')
      .post('/health/live')
      .set('content-type', 'application/json')
      .send(huge)
      .expect(413);
  });

  it('lets the scheduler see the gpu-node through Redis heartbeats, and notice when it dies', async () => {
    const scheduler = 'http://127.0.0.1:4101';
    const ready = async () =>
      (await request(scheduler).get('/v1/fleet/nodes')).body.nodes as { nodeId: string; state: string }[];
    await waitUntil(
      async () => (await ready()).some((n) => n.nodeId === 'e2e-node' && n.state === 'ready'),
      10_000,
    );
    await running.get('gpu-node')?.stop('SIGKILL');
    await waitUntil(
      async () => (await ready()).some((n) => n.nodeId === 'e2e-node' && n.state === 'lost'),
      10_000,
    );
  });

  it('shuts down gracefully on SIGTERM: readiness first, then exit 0', async () => {
    const tracker = running.get('tracker');
    const exit = await tracker?.stop('SIGTERM');
    expect(exit).toBe(0);
    expect(tracker?.logs().some((entry) => entry.msg === 'stopped')).toBe(true);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
