import {
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard, AuthModule } from '@voxelfleet/auth';
import { APP_LOGGER, CoreModule, type AppInfra } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import { AuditCheckpointService } from './audit/audit-checkpoint.service.js';
import { AUDIT_SIGNING, resolveAuditSigning } from './audit/audit-signing.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditService } from './audit/audit.service.js';
import { BillingModule } from './billing/billing.module.js';
import { corsMiddleware } from './common/cors.middleware.js';
import { ConsoleModule } from './console/console.module.js';
import { FleetViewService } from './fleet/fleet-view.service.js';
import { GpuAdminController } from './fleet/gpu-admin.controller.js';
import { NodesService } from './fleet/nodes.service.js';
import { DEFAULT_GATEWAY_SETTINGS, GATEWAY_SETTINGS, type GatewaySettings } from './gateway.settings.js';
import { GrantsController } from './grants/grants.controller.js';
import { GrantsService } from './grants/grants.service.js';
import { JobsApiModule } from './jobs/jobs-api.module.js';
import { KernelsController } from './kernels/kernels.controller.js';
import { KernelsService } from './kernels/kernels.service.js';
import { MeController } from './me/me.controller.js';
import { PrincipalsController } from './principals/principals.controller.js';
import { PrincipalsService } from './principals/principals.service.js';
import { SimulateController } from './simulate/simulate.controller.js';
import { TenantsController } from './tenants/tenants.controller.js';
import { TenantsService } from './tenants/tenants.service.js';
import { TenantQuotaMetrics } from './usage/tenant-quota.metrics.js';
import { TenantSnapshotsService } from './usage/tenant-snapshots.service.js';

/** The public REST edge: identity, RBAC, tenants, quotas, audit and the /admin/gpu API. */
@Module({})
export class GatewayModule implements NestModule {
  constructor(@Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings) {}

  static forRoot(infra: AppInfra, settings: GatewaySettings = DEFAULT_GATEWAY_SETTINGS): DynamicModule {
    // The auth guard also applies the rate limits: a key's budget is spent only by requests
    // that authenticated with it, failures spend their source address's (libs/auth RequestLimits).
    const guards: Provider[] = [{ provide: APP_GUARD, useExisting: AuthGuard }];
    return {
      module: GatewayModule,
      imports: [
        CoreModule.forRoot(infra),
        AuthModule.forRoot({
          cacheTtlMs: settings.authCacheTtlMs,
          ...(settings.rateLimit.enabled ? { rateLimit: settings.rateLimit } : {}),
        }),
        JobsApiModule,
        BillingModule,
        ConsoleModule.forRoot(),
      ],
      controllers: [
        TenantsController,
        PrincipalsController,
        GrantsController,
        MeController,
        AuditController,
        GpuAdminController,
        KernelsController,
        SimulateController,
      ],
      providers: [
        { provide: GATEWAY_SETTINGS, useValue: settings },
        {
          provide: AUDIT_SIGNING,
          inject: [APP_LOGGER],
          useFactory: (logger: Logger) => resolveAuditSigning(settings, logger),
        },
        ...guards,
        TenantsService,
        PrincipalsService,
        GrantsService,
        AuditService,
        AuditCheckpointService,
        FleetViewService,
        NodesService,
        KernelsService,
        TenantSnapshotsService,
        TenantQuotaMetrics,
      ],
      exports: [FleetViewService, TenantSnapshotsService, GATEWAY_SETTINGS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.settings.corsOrigins.length === 0) return;
    consumer
      .apply(corsMiddleware(this.settings.corsOrigins))
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
