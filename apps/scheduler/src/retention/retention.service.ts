import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_LOGGER, DATA_SOURCE } from '@voxelfleet/platform';
import { DEFAULT_RETENTION, retentionCutoffs } from '@voxelfleet/scheduling';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { LeaderElectionService } from '../leader/leader-election.service.js';
import type { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import type { SchedulerSettings } from '../scheduler.config.js';
import { SCHEDULER_METRICS, SCHEDULER_SETTINGS } from '../tokens.js';
import { HistoryRetention, type PrunedRows } from './history-retention.js';

const DEFAULT_INTERVAL_MS = 10 * 60_000;

/**
 * The leader prunes finished history on a timer (the first round soon after it takes over),
 * so the jobs, transitions and decision tables stay bounded at a steady rate of work.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<PrunedRows | null>;
  private readonly history: HistoryRetention;

  constructor(
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
    @Inject(DATA_SOURCE) db: DataSource,
    @Inject(SCHEDULER_METRICS) private readonly metrics: SchedulerMetrics,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(LeaderElectionService) private readonly leader: LeaderElectionService,
  ) {
    this.history = new HistoryRetention(db);
  }

  onApplicationBootstrap(): void {
    this.leader.onChange((leading) => {
      clearInterval(this.timer);
      if (!leading) return;
      this.timer = setInterval(
        () => void this.pruneOnce(),
        this.settings.retentionIntervalMs ?? DEFAULT_INTERVAL_MS,
      );
      void this.pruneOnce();
    });
  }

  beforeApplicationShutdown(): void {
    // A round under way is not awaited: each batch is its own statement, so one cut short
    // leaves consistent history, and shutdown never waits on a slow or unreachable database.
    clearInterval(this.timer);
  }

  /** One round; null when this instance does not lead or a round is still running. */
  async pruneOnce(nowMs = Date.now()): Promise<PrunedRows | null> {
    if (this.running || !this.leader.isLeader) return null;
    this.running = this.round(nowMs);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async round(nowMs: number): Promise<PrunedRows | null> {
    try {
      const cutoffs = retentionCutoffs(nowMs, {
        jobRetentionMs: this.settings.jobRetentionMs ?? DEFAULT_RETENTION.jobRetentionMs,
        decisionRetentionMs: this.settings.decisionRetentionMs ?? DEFAULT_RETENTION.decisionRetentionMs,
      });
      const pruned = await this.history.prune(cutoffs);
      for (const [table, rows] of Object.entries(pruned) as [keyof PrunedRows, number][])
        this.metrics.pruned.inc({ table }, rows);
      if (Object.values(pruned).some((n) => n > 0))
        this.logger.info({ pruned, cutoffs }, 'pruned old history');
      return pruned;
    } catch (error) {
      // Batches already deleted stay deleted (each is its own statement); the next round
      // carries on from there.
      this.logger.error({ err: error }, 'pruning old history failed; retrying on the next round');
      return null;
    }
  }
}
