import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHttpDurationHistogram } from '@voxelfleet/observability';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Registry } from 'prom-client';
import { AllExceptionsFilter } from './exception.filter.js';
import { FastValidationPipe } from './fast-validation.pipe.js';

export interface HttpSetupOptions {
  logger: Logger;
  registry: Registry;
  /** Largest accepted JSON body; larger ones answer 413. */
  jsonLimit?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Middleware and pipes every app shares, in the order requests meet them. */
export function setupHttp(
  app: NestExpressApplication,
  { logger, registry, jsonLimit = '1mb' }: HttpSetupOptions,
): void {
  app.use(helmet());
  app.useBodyParser('json', { limit: jsonLimit });
  app.use(
    pinoHttp({
      logger,
      // Keep a well-formed incoming id so one request can be followed across services.
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/metrics' || req.url?.startsWith('/health') === true },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use(httpMetrics(registry));
  app.useGlobalPipes(
    new FastValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(logger));
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
