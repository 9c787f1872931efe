import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { pino, type Level } from 'pino';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { requestLogging } from './request-logging.js';

function capture(level: Level) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(text) as Record<string, unknown>);
      callback();
    },
  });
  const logger = pino({ level, redact: ['req.headers.authorization'] }, stream);
  return { logger, lines };
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** A bare HTTP server with the middleware in front of four routes. */
function app(middleware: Middleware) {
  const statuses: Record<string, number> = {
    '/health/live': 200,
    '/ok': 200,
    '/missing': 404,
    '/broken': 500,
  };
  return createServer((req, res) =>
    middleware(req, res, () => {
      res.statusCode = statuses[(req.url ?? '').split('?')[0] ?? ''] ?? 404;
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    }),
  );
}

/** What may differ between two runs: the clock, the ports and where an error was made. */
function comparable(line: Record<string, unknown>) {
  const { time: _time, responseTime, pid: _pid, ...rest } = line;
  const req = rest.req as Record<string, unknown>;
  const res = rest.res as { headers: Record<string, unknown> };
  const err = rest.err as { stack?: string } | undefined;
  return {
    ...rest,
    ...(err ? { err: { ...err, stack: err.stack?.split('\n')[0] } } : {}),
    responseTime: typeof responseTime,
    req: {
      ...req,
      remotePort: typeof req.remotePort,
      headers: { ...(req.headers as Record<string, unknown>), host: undefined },
    },
    res: { ...res, headers: { ...res.headers, date: undefined } },
  };
}

async function drive(server: Server) {
  await request(server).get('/health/live').set('x-request-id', 'probe-1');
  await request(server).get('/ok').set('x-request-id', 'ok-1');
  await request(server).get('/missing').set('x-request-id', 'missing-1').set('authorization', 'Bearer x');
  await request(server).get('/broken?x=1').set('x-request-id', 'broken-1');
  const fresh = await request(server).get('/ok');
  expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
}

describe('requestLogging', () => {
  it.each(['warn', 'error', 'info'] as const)('writes the lines pino-http writes at %s', async (level) => {
    const lean = capture(level);
    await drive(app(requestLogging(lean.logger) as unknown as Middleware));
    const reference = capture(level);
    await drive(
      app(
        pinoHttp({
          logger: reference.logger,
          genReqId: (req, res) => {
            const incoming = req.headers['x-request-id'];
            const id = typeof incoming === 'string' ? incoming : randomUUID();
            res.setHeader('x-request-id', id);
            return id;
          },
          autoLogging: { ignore: (req) => req.url?.startsWith('/health') === true },
          customLogLevel: (_req, res, error) =>
            error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        }),
      ),
    );
    const strip = (lines: Record<string, unknown>[]) =>
      lines.filter((l) => !String((l.req as { id: string }).id).match(/^[0-9a-f-]{36}$/));
    expect(strip(lean.lines).map(comparable)).toEqual(strip(reference.lines).map(comparable));
    expect(lean.lines.length).toBe({ warn: 2, error: 1, info: 4 }[level]);
    expect(JSON.stringify(lean.lines)).not.toContain('Bearer x');
  });
});
