import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
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

function request(url: string, method = 'GET', built: string | null = root): Promise<Answer> {
  return new Promise((resolve) => {
    const answer: Answer = { status: 200, headers: {}, body: '', next: false };
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => (answer.body += chunk.toString()));
    sink.on('end', () => resolve(answer));
    const req = {
      method,
      originalUrl: url,
      headers: { host: 'fleet.example:3000' },
      protocol: 'http',
    } as unknown as Request;
    const res = Object.assign(sink, {
      req,
      setHeader: (name: string, value: string) => (answer.headers[name.toLowerCase()] = value),
      status(code: number) {
        answer.status = code;
        return res;
      },
      json(value: unknown) {
        sink.end(JSON.stringify(value));
        return res;
      },
    }) as unknown as Response;
    const handler = consoleFiles({ root: built, trackerUrlFor: trackerUrlFrom(undefined, 3003) });
    handler(req, res, (() => {
      answer.next = true;
      resolve(answer);
    }) as NextFunction);
  });
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
