import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { registerDependencyGauge } from './dependency-metrics.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { ShutdownState } from './shutdown-state.js';
import {
  APP_LOGGER,
  APP_NAME,
  DATA_SOURCE,
  METRICS_REGISTRY,
  READINESS_CHECKS,
  TRANSPORT,
  type ReadinessCheck,
} from './tokens.js';

/** What an app is built from. The caller owns these and closes them after the app. */
export interface AppInfra {
  name: string;
  logger: Logger;
  registry: Registry;
  transport: Transport;
  /** Absent for apps that keep no state in Postgres (the gpu-node). */
  dataSource?: DataSource;
  extraReadiness?: ReadinessCheck[];
}

/**
 * Gives every app the same operational surface: /health/live, /health/ready (database and
 * transport), /metrics, and the infrastructure as injectable tokens.
 */
@Module({})
export class CoreModule {
  static forRoot(infra: AppInfra): DynamicModule {
    const { dataSource, transport } = infra;
    const readiness: ReadinessCheck[] = [
      ...(dataSource
        ? [{ name: 'database', check: async () => void (await dataSource.query('SELECT 1')) }]
        : []),
      { name: 'transport', check: () => transport.ping() },
      ...(infra.extraReadiness ?? []),
    ];
    if (!infra.registry.getSingleMetric('voxelfleet_dependency_up'))
      registerDependencyGauge(infra.registry, readiness);
    const providers: Provider[] = [
      { provide: APP_NAME, useValue: infra.name },
      { provide: APP_LOGGER, useValue: infra.logger },
      { provide: METRICS_REGISTRY, useValue: infra.registry },
      { provide: TRANSPORT, useValue: transport },
      { provide: READINESS_CHECKS, useValue: readiness },
      ShutdownState,
      ...(dataSource ? [{ provide: DATA_SOURCE, useValue: dataSource }] : []),
    ];
    return {
      module: CoreModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers,
      exports: providers,
    };
  }
}
