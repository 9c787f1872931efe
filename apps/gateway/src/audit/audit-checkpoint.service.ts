import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AuditCheckpointer } from '@voxelfleet/audit';
import { APP_LOGGER, DATA_SOURCE } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';

/** Signs every chain's head periodically when AUDIT_SIGNING_KEY is configured. */
@Injectable()
export class AuditCheckpointService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly checkpointer?: AuditCheckpointer;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    if (settings.auditSigningKey !== undefined) {
      this.checkpointer = new AuditCheckpointer(dataSource, settings.auditSigningKey);
    }
  }

  onApplicationBootstrap(): void {
    if (this.checkpointer === undefined) {
      this.logger.warn('AUDIT_SIGNING_KEY is not set: audit checkpoints are not signed');
      return;
    }
    this.timer = setInterval(() => void this.checkpoint(), this.settings.checkpointIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Signs the heads now; returns how many checkpoints were written (0 without a key). */
  async checkpoint(): Promise<number> {
    if (this.checkpointer === undefined) return 0;
    const run = this.checkpointer.checkpointAll().catch((error: unknown) => {
      this.logger.error({ err: error }, 'audit checkpoint failed');
      return 0;
    });
    this.running = run;
    return run;
  }
}
