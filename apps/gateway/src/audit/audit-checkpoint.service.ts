import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AuditCheckpointer, type CheckpointRun } from '@voxelfleet/audit';
import { APP_LOGGER, DATA_SOURCE, METRICS_REGISTRY } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';
import { AUDIT_SIGNING, type AuditSigning } from './audit-signing.js';

/**
 * Every AUDIT_CHECKPOINT_INTERVAL_MS: verifies each chain from its last checkpoint to its
 * head and signs the heads that moved (always on: the key is made on the first start when
 * none is given). A chain found broken is not signed over; it is logged as an error and
 * counted in `voxelfleet_audit_chains_broken` (alert on > 0) and
 * `voxelfleet_audit_verification_failures_total`.
 */
@Injectable()
export class AuditCheckpointService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly checkpointer: AuditCheckpointer;
  private readonly brokenChains: Gauge;
  private readonly failures: Counter;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(AUDIT_SIGNING) signing: AuditSigning,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.checkpointer = new AuditCheckpointer(dataSource, signing.key, undefined, signing.journal);
    this.brokenChains = new Gauge({
      name: 'voxelfleet_audit_chains_broken',
      help: 'Audit chains found broken (edited, cut or re-hashed) by the last checkpoint run',
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'voxelfleet_audit_verification_failures_total',
      help: 'Checkpoint runs that found at least one broken audit chain',
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.checkpoint(), this.settings.checkpointIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Verifies and signs the heads now; returns how many checkpoints were written. */
  async checkpoint(): Promise<number> {
    const run = this.checkpointer.run().then(
      (result) => this.report(result),
      (error: unknown) => {
        this.logger.error({ err: error }, 'audit checkpoint failed');
        return 0;
      },
    );
    this.running = run;
    return run;
  }

  private report(run: CheckpointRun): number {
    this.brokenChains.set(run.broken.length);
    if (run.broken.length > 0) {
      this.failures.inc();
      for (const report of run.broken) {
        this.logger.error(
          {
            chain: report.chain,
            result: report.result,
            badCheckpoints: report.badCheckpoints,
            alert: 'audit_chain_broken',
          },
          'audit chain verification failed: the chain was changed since its last checkpoint',
        );
      }
    }
    return run.written;
  }
}
