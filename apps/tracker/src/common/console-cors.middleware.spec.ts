import { describe, expect, it } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import { consoleCors } from './console-cors.middleware.js';

function run(method: string, headers: Record<string, string>) {
  const set: Record<string, string> = {};
  let status: number | null = null;
  let nextCalled = false;
  const res = {
    setHeader: (name: string, value: string) => {
      set[name.toLowerCase()] = value;
    },
    status(code: number) {
      status = code;
      return this;
    },
    end: () => undefined,
  } as unknown as Response;
  consoleCors()({ method, headers } as Request, res, (() => {
    nextCalled = true;
  }) as NextFunction);
  return { set, status, nextCalled };
}

describe('consoleCors', () => {
  it('allows the console on the same host name, another port', () => {
    const get = run('GET', { origin: 'http://localhost:3000', host: 'localhost:3003' });
    expect(get.set['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(get.nextCalled).toBe(true);
    const preflight = run('OPTIONS', { origin: 'http://localhost:3000', host: 'localhost:3003' });
    expect(preflight.status).toBe(204);
    expect(preflight.set['access-control-allow-headers']).toContain('Authorization');
    expect(preflight.nextCalled).toBe(false);
  });

  it('gives other origins no CORS headers', () => {
    for (const origin of ['http://evil.example:3000', 'file://localhost', 'null', 'not a url']) {
      const result = run('OPTIONS', { origin, host: 'localhost:3003' });
      expect(result.set['access-control-allow-origin']).toBeUndefined();
      expect(result.nextCalled).toBe(true);
    }
    expect(run('GET', { host: 'localhost:3003' }).set).toEqual({});
    expect(run('GET', { origin: 'http://localhost:3000' }).set).toEqual({});
  });
});
