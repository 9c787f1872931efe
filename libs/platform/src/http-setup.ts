import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHttpDurationHistogram } from '@voxelfleet/observability';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { BODY_BYTES, BodyContractInterceptor } from './body-contract.js';
import { AllExceptionsFilter } from './exception.filter.js';
import { FastValidationPipe } from './fast-validation.pipe.js';
import { requestLogging } from './request-logging.js';

export interface HttpSetupOptions {
  logger: Logger;
  registry: Registry;
  /** Largest accepted JSON body; larger ones answer 413. */
  jsonLimit?: string;
  /**
   * Routes whose JSON bodies may be larger than `jsonLimit` (Express path → bytes): a route that
   * takes bulk data as JSON gets room for it without every other route accepting megabytes.
   */
  jsonRouteLimits?: JsonRouteLimits;
}

export type JsonRouteLimits = Readonly<Record<string, number>>;

/** Middleware and pipes every app shares, in the order requests meet them. */
export function setupHttp(
  app: NestExpressApplication,
  { logger, registry, jsonLimit = '1mb', jsonRouteLimits = {} }: HttpSetupOptions,
): void {
  app.use(helmet());
  // Nest's typing leaves out `verify` (its rawBody option uses it); express.json takes it as is.
  // A route's own parser comes first; the general one then sees the body parsed and passes.
  for (const [path, limit] of Object.entries(jsonRouteLimits)) {
    app.use(path, express.json({ limit, verify: countBodyBytes }));
  }
  const jsonOptions = { limit: jsonLimit, verify: countBodyBytes };
  app.useBodyParser('json', jsonOptions);
  app.use(requestLogging(logger));
  app.use(httpMetrics(registry));
  app.useGlobalPipes(
    new FastValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  app.useGlobalInterceptors(new BodyContractInterceptor(app.get(Reflector)));
  app.useGlobalFilters(new AllExceptionsFilter(logger));
}

/**
 * Records the body's size as sent (`{}` and no body at all parse to the same object), and
 * refuses bytes that are not UTF-8: the decoder would turn them into U+FFFD, so what is
 * stored would silently differ from what was sent. body-parser answers with the status set here.
 */
function countBodyBytes(
  request: IncomingMessage & { [BODY_BYTES]?: number },
  _response: unknown,
  body: Buffer,
): void {
  request[BODY_BYTES] = body.length;
  if (!isUtf8(body)) {
    throw Object.assign(
      new Error('the body must be valid UTF-8 (overlong or invalid byte sequences are refused)'),
      { status: 400, type: 'entity.encoding.invalid' },
    );
  }
}

/** Times every request, labelled by the matched route pattern (never the raw path). */
function httpMetrics(registry: Registry) {
  const duration = createHttpDurationHistogram(registry);
  return (req: Request, res: Response, next: NextFunction) => {
    const stop = duration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
