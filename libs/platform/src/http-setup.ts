import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHttpDurationHistogram } from '@voxelfleet/observability';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AllExceptionsFilter } from './exception.filter.js';
import { FastValidationPipe } from './fast-validation.pipe.js';
import { requestLogging } from './request-logging.js';

export interface HttpSetupOptions {
  logger: Logger;
  registry: Registry;
  /** Largest accepted JSON body; larger ones answer 413. */
  jsonLimit?: string;
}

/** Middleware and pipes every app shares, in the order requests meet them. */
export function setupHttp(
  app: NestExpressApplication,
  { logger, registry, jsonLimit = '1mb' }: HttpSetupOptions,
): void {
  app.use(helmet());
  app.useBodyParser('json', { limit: jsonLimit });
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
