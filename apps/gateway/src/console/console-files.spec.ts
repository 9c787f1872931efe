import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import supertest from 'supertest';
import { consoleFiles, contentSecurityPolicy, trackerUrlFrom } from './console-files.js';
import { consoleConfigSchema } from './console.config.js';

const root = mkdtempSync(join(tmpdir(), 'console-build-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<html>console</html>');
writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
writeFileSync(join(tmpdir(), 'outside-console.txt'), 'secret');

afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  next: boolean;
}

/** The handler in an Express app as the gateway mounts it; what it passes on answers 299. */
function appFor(built: string | null) {
  const app = express();
  app.use(consoleFiles({ root: built, trackerUrlFor: trackerUrlFrom(undefined, 3003) }));
  app.use((_req: express.Request, res: express.Response) => {
    res.status(299).end();
  });
  return app;
}
const apps = { built: appFor(root), unbuilt: appFor(null) };

async function request(url: string, method = 'GET', built: string | null = root): Promise<Answer> {
  const agent = supertest(built === null ? apps.unbuilt : apps.built);
  const answer = await (method === 'POST' ? agent.post(url) : agent.get(url))
    .set('host', 'fleet.example:3000')
    .buffer(true)
    .parse((res, done) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done(null, body));
    });
  return {
    status: answer.status,
    headers: answer.headers,
    body: answer.body as string,
    next: answer.status === 299,
  };
}

describe('consoleFiles', () => {
  it('serves index.html for the base and every client route, with the console CSP', async () => {
    for (const url of ['/console', '/console/', '/console/jobs/123', '/console/streams/abc?x=1']) {
      const answer = await request(url);
      expect(answer.body).toBe('<html>console</html>');
      expect(answer.headers['content-type']).toContain('text/html');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['content-security-policy']).toContain(
        "connect-src 'self' http://fleet.example:3003 ws://fleet.example:3003",
      );
    }
  });

  it('serves hashed assets as immutable and answers 404 for a missing one', async () => {
    const asset = await request('/console/assets/app-1234.js');
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-type']).toContain('javascript');
    expect((await request('/console/assets/missing.js')).status).toBe(404);
    expect((await request('/console/favicon.ico')).status).toBe(404);
  });

  it('answers a revalidation of an unchanged file with 304, and HEAD without a body', async () => {
    const first = await request('/console/jobs/1');
    const again = await supertest(apps.built)
      .get('/console/jobs/2')
      .set('host', 'fleet.example:3000')
      .set('if-none-match', first.headers['etag'] ?? '');
    expect(again.status).toBe(304);
    const head = await supertest(apps.built).head('/console/assets/app-1234.js');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('14');
  });

  it('never serves a file outside the build', async () => {
    for (const url of [
      '/console/../outside-console.txt',
      '/console/%2e%2e/%2e%2e/outside-console.txt',
      '/console/..%2Foutside-console.txt',
    ]) {
      const answer = await request(url);
      expect(answer.body).not.toContain('secret');
    }
  });

  it('answers config.json with the tracker URL, and leaves other paths and methods alone', async () => {
    expect(JSON.parse((await request('/console/config.json')).body)).toEqual({
      trackerUrl: 'http://fleet.example:3003',
    });
    expect((await request('/v1/jobs')).next).toBe(true);
    expect((await request('/consoled')).next).toBe(true);
    expect((await request('/console/', 'POST')).next).toBe(true);
  });

  it('says so when the console is not built', async () => {
    const answer = await request('/console/', 'GET', null);
    expect(answer.status).toBe(404);
    expect(answer.body).toContain('not built');
    expect(JSON.parse((await request('/console/config.json', 'GET', null)).body)).toEqual({
      trackerUrl: 'http://fleet.example:3003',
    });
  });
});

describe('console configuration', () => {
  it('takes a configured tracker URL or derives one from the request host', () => {
    expect(trackerUrlFrom('https://tracker.example.com/', 3003)('fleet:3000', 'http')).toBe(
      'https://tracker.example.com',
    );
    expect(trackerUrlFrom(undefined, 5103)('127.0.0.1:5100', 'http')).toBe('http://127.0.0.1:5103');
    expect(trackerUrlFrom(undefined, 3003)('[::1]:3000', 'https')).toBe('https://[::1]:3003');
    expect(trackerUrlFrom(undefined, 3003)(undefined, 'http')).toBe('http://127.0.0.1:3003');
    expect(contentSecurityPolicy('https://t.example')).toContain('wss://t.example');
  });

  it('refuses a tracker URL that is not an http(s) origin, naming the variable', () => {
    const result = consoleConfigSchema.safeParse({ CONSOLE_TRACKER_URL: 'javascript:alert(1)' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['CONSOLE_TRACKER_URL']);
    expect(consoleConfigSchema.parse({})).toEqual({ TRACKER_PORT: 3003 });
  });
});
