import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { AuditWriter } from '@voxelfleet/audit';
import { APP_LOGGER, DATA_SOURCE } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AccessControl, DenialRecorder } from './access-control.js';
import { ApiKeyAuthenticator } from './api-key-authenticator.js';
import { AuthGuard } from './auth.guard.js';
import { createRequestLimits, type RequestLimits } from '../rate-limit/request-limits.js';
import { AUTH_OPTIONS, DEFAULT_OPERATIONAL_PATHS, REQUEST_LIMITS, type AuthOptions } from './auth.options.js';

/** Closes the limits' Redis connection (or in-memory timers) when the app stops. */
@Injectable()
class RequestLimitsShutdown implements OnApplicationShutdown {
  constructor(@Inject(REQUEST_LIMITS) private readonly limits: RequestLimits | null) {}

  onApplicationShutdown(): void {
    this.limits?.close();
  }
}

/**
 * API-key authentication, RBAC and denial auditing for any Nest app with a database
 * (CoreModule must provide DATA_SOURCE). The guard is exported, not installed: the app
 * registers it as APP_GUARD where it wants it in its guard order.
 */
@Module({})
export class AuthModule {
  static forRoot(options: Partial<AuthOptions> = {}): DynamicModule {
    const settings: AuthOptions = { operationalPaths: DEFAULT_OPERATIONAL_PATHS, ...options };
    const providers: Provider[] = [
      { provide: AUTH_OPTIONS, useValue: settings },
      {
        provide: REQUEST_LIMITS,
        useFactory: () => (settings.rateLimit === undefined ? null : createRequestLimits(settings.rateLimit)),
      },
      RequestLimitsShutdown,
      { provide: AuditWriter, useValue: new AuditWriter() },
      {
        provide: ApiKeyAuthenticator,
        inject: [DATA_SOURCE, APP_LOGGER],
        useFactory: (dataSource: DataSource, logger: Logger) =>
          new ApiKeyAuthenticator(dataSource, {
            ...settings,
            onError: settings.onError ?? ((err) => logger.warn({ err }, 'could not record API key use')),
          }),
      },
      DenialRecorder,
      AccessControl,
      AuthGuard,
    ];
    return { module: AuthModule, global: true, providers, exports: providers };
  }
}
