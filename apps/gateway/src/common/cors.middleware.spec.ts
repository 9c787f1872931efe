import { describe, expect, it } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import { corsMiddleware } from './cors.middleware.js';

function call(origin: string | undefined, method = 'GET') {
  const headers: Record<string, string> = {};
  let status: number | undefined;
  let nextCalled = false;
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    status: (code: number) => {
      status = code;
      return { end: () => undefined };
    },
  } as unknown as Response;
  const req = { headers: origin === undefined ? {} : { origin }, method } as unknown as Request;
  const next: NextFunction = () => void (nextCalled = true);
  corsMiddleware(['https://console.example'])(req, res, next);
  return { headers, status, nextCalled };
}

describe('corsMiddleware', () => {
  it('adds CORS headers for a listed origin only', () => {
    expect(call('https://console.example').headers['access-control-allow-origin']).toBe(
      'https://console.example',
    );
    expect(call('https://evil.example').headers).toEqual({});
    expect(call(undefined).nextCalled).toBe(true);
  });

  it('answers a listed origin’s preflight itself and passes other preflights on', () => {
    const preflight = call('https://console.example', 'OPTIONS');
    expect(preflight).toMatchObject({ status: 204, nextCalled: false });
    expect(preflight.headers['access-control-allow-headers']).toContain('Idempotency-Key');
    expect(call('https://evil.example', 'OPTIONS')).toMatchObject({ status: undefined, nextCalled: true });
  });
});
