import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoNestLogger } from '@voxelfleet/observability';
import { setupHttp, type JsonRouteLimits } from './http-setup.js';
import { PrototypedExpressAdapter } from './prototyped-express-adapter.js';
import type { AppInfra } from './core.module.js';
import type { DynamicModule } from '@nestjs/common';

export interface StartAppOptions {
  infra: AppInfra;
  module: DynamicModule;
  port: number;
  host: string;
  jsonLimit?: string;
  jsonRouteLimits?: JsonRouteLimits;
  /** Runs after the Nest app exists and before it listens (OpenAPI, WebSocket adapters...). */
  configure?: (app: NestExpressApplication) => void | Promise<void>;
}

export interface RunningApp {
  name: string;
  app: NestExpressApplication;
  url: string;
  /** Stops taking requests, finishes in-flight ones, runs every module's shutdown hook. */
  close(): Promise<void>;
}

export async function startApp({
  infra,
  module,
  port,
  host,
  jsonLimit,
  jsonRouteLimits,
  configure,
}: StartAppOptions): Promise<RunningApp> {
  const app = await NestFactory.create<NestExpressApplication>(module, new PrototypedExpressAdapter(), {
    logger: new PinoNestLogger(infra.logger.child({ context: 'nest' })),
    bodyParser: false,
    abortOnError: false,
  });
  setupHttp(app, { logger: infra.logger, registry: infra.registry, jsonLimit, jsonRouteLimits });
  await configure?.(app);
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${boundPort}`;
  return { name: infra.name, app, url, close: () => app.close() };
}
