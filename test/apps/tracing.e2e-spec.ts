import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { testRedisUrl } from '../support/env.js';
import { SpawnedApp } from '../support/spawned-app.js';

/** A stand-in OTLP/HTTP collector: records what the app exports. */
function startCollector(): Promise<{
  server: Server;
  url: string;
  posts: { path: string; bytes: number }[];
}> {
  const posts: { path: string; bytes: number }[] = [];
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, posts });
    }),
  );
}

describe('OpenTelemetry', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(() => new Promise<void>((resolve) => collector.server.close(() => resolve())));

  it('exports spans over OTLP when an endpoint is set, and puts the trace id in the logs', async () => {
    const node = SpawnedApp.start('dist/apps/gpu-node/src/main.js', {
      PORT: '4110',
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: `vf-otel-${process.pid}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    });
    await node.waitForLine(/listening/);
    expect(node.logs().find((line) => line.msg === 'gpu-node listening')).toMatchObject({ tracing: true });
    await request('http://127.0.0.1:4110')
      .get('/no-such-route')
      .set('x-request-id', 'traced-request')
      .expect(404);
    await node.waitForLine(/traced-request/);
    const line = node.logs().find((entry) => JSON.stringify(entry).includes('traced-request'));
    expect(line?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    // Shutdown flushes the batch exporter.
    expect(await node.stop('SIGTERM')).toBe(0);
    const traces = collector.posts.filter((post) => post.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0]?.bytes).toBeGreaterThan(0);
  });

  it('stays off, and free, without an endpoint', async () => {
    const node = SpawnedApp.start('dist/apps/gpu-node/src/main.js', {
      PORT: '4111',
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: `vf-otel-${process.pid}`,
    });
    await node.waitForLine(/listening/);
    expect(node.logs().find((line) => line.msg === 'gpu-node listening')).toMatchObject({ tracing: false });
    await request('http://127.0.0.1:4111').get('/health/live').expect(200);
    expect(await node.stop('SIGTERM')).toBe(0);
  });
});
