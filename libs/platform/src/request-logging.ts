import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Level, Logger } from 'pino';
import { pinoHttp } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type RequestWithId = IncomingMessage & { id?: unknown; originalUrl?: string };

/** Keep a well-formed incoming id so one request can be followed across services. */
function requestIdOf(req: RequestWithId, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** Probes and scrapes are not logged when they succeed. */
function quiet(req: RequestWithId): boolean {
  return req.url === '/metrics' || req.url?.startsWith('/health') === true;
}

function levelOf(res: ServerResponse, error?: unknown): Level {
  return error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
}

/**
 * One line per request (`request completed` with req, res and responseTime; failures at warn
 * and error), through pino-http, and an `x-request-id` on every answer.
 *
 * pino-http serialises and redacts the request into a child logger for every request before
 * it knows whether anything will be written. When `info` is off (LOG_LEVEL=warn and above)
 * only 4xx and 5xx answers are logged, so the same line is built when one is due, with
 * pino-http's own serialisers: a successful request then costs the id and one listener.
 */
export function requestLogging(logger: Logger) {
  const http = pinoHttp({
    logger,
    genReqId: requestIdOf,
    autoLogging: { ignore: quiet },
    customLogLevel: (_req, res, error) => levelOf(res, error),
  });
  // pino-http's child logger: its level is fixed here, as pino-http's own lines' level is.
  const lines = http.logger;
  if (lines.isLevelEnabled('info')) return http;
  return (req: Request, res: Response, next: NextFunction): void => {
    const request = req as RequestWithId;
    request.id = request.id || requestIdOf(request, res);
    const startedAt = Date.now();
    let done = false;
    const finished = (error?: unknown): void => {
      if (done) return;
      done = true;
      const level = levelOf(res, error);
      if (!lines.isLevelEnabled(level)) return;
      const responseTime = Date.now() - startedAt;
      const line = lines.child({ req });
      if (error || res.statusCode >= 500) {
        const err = error ?? new Error(`failed with status code ${res.statusCode}`);
        line[level]({ res, err, responseTime }, 'request errored');
        return;
      }
      const message = !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted';
      line[level]({ res, responseTime }, message);
    };
    // As pino-http: probes are not logged when they finish, but an error on any answer is.
    // 'close' follows 'finish' on every answer and also ends an aborted one, so it is the one
    // listener needed to see both.
    if (!quiet(request)) res.on('close', () => finished());
    res.on('error', finished);
    next();
  };
}
