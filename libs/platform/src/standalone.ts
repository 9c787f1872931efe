import type { DynamicModule } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createLogger, createMetricsRegistry, type TracingHandle } from '@voxelfleet/observability';
import type { LevelWithSilent } from 'pino';
import type { AppInfra } from './core.module.js';
import type { JsonRouteLimits } from './http-setup.js';
import { openDatabase, openTransport, type InfraConfig } from './infra.js';
import { startApp } from './run-app.js';
import { onTerminationSignal } from './shutdown.js';

export interface StandaloneConfig extends InfraConfig {
  PORT: number;
  HOST: string;
  LOG_LEVEL: LevelWithSilent;
  SHUTDOWN_GRACE_MS: number;
}

export interface StandaloneOptions {
  name: string;
  config: StandaloneConfig;
  tracing: TracingHandle;
  usesDatabase: boolean;
  module: (infra: AppInfra) => DynamicModule;
  configure?: (app: NestExpressApplication) => void | Promise<void>;
  jsonRouteLimits?: JsonRouteLimits;
}

/** Runs one app in its own process: its own connections, port, signal handling. */
export async function runStandalone({
  name,
  config,
  tracing,
  usesDatabase,
  module,
  configure,
  jsonRouteLimits,
}: StandaloneOptions): Promise<void> {
  const logger = createLogger(name, config.LOG_LEVEL);
  const registry = createMetricsRegistry(name);
  const transport = openTransport(config, logger);
  const dataSource = usesDatabase ? await openDatabase(config, logger, `voxelfleet-${name}`) : undefined;
  const infra: AppInfra = { name, logger, registry, transport, dataSource };
  const running = await startApp({
    infra,
    module: module(infra),
    port: config.PORT,
    host: config.HOST,
    configure,
    jsonRouteLimits,
  });
  logger.info({ url: running.url, transport: transport.kind, tracing: tracing.enabled }, `${name} listening`);
  onTerminationSignal(logger, config.SHUTDOWN_GRACE_MS, async () => {
    await running.close();
    await transport.close();
    await dataSource?.destroy();
    await tracing.shutdown();
  });
}
