import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_LOGGER, DATA_SOURCE } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import type { DataSource, QueryRunner } from 'typeorm';
import type { SchedulerSettings } from '../scheduler.config.js';
import { SCHEDULER_SETTINGS } from '../tokens.js';

export const DEFAULT_LEADER_LOCK_KEY = 0x766673636864; // "vfschd"
const POLL_MS = 250;

/**
 * One scheduler leads: the one whose Postgres session holds the advisory lock. The lock is
 * tied to that session, so when the leader's process dies its connection closes and the lock
 * is free for a standby at its next poll. A leader that cannot reach its session any more
 * steps down at once; every write it makes is also guarded by job state, so even a leader
 * that has not noticed yet cannot place a job a second time.
 */
@Injectable()
export class LeaderElectionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private runner?: QueryRunner;
  private leading = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private checking = false;
  private readonly listeners = new Set<(leading: boolean) => void>();
  readonly instanceId = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Called on every change, and at once when this instance already leads. */
  onChange(listener: (leading: boolean) => void): () => void {
    this.listeners.add(listener);
    if (this.leading) listener(true);
    return () => this.listeners.delete(listener);
  }

  onApplicationBootstrap(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), POLL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.setLeading(false);
    const runner = this.runner;
    this.runner = undefined;
    if (runner) {
      await runner.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await runner.release().catch(() => undefined);
    }
  }

  private get lockKey(): number {
    return this.settings.leaderLockKey ?? DEFAULT_LEADER_LOCK_KEY;
  }

  private async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      if (this.leading) {
        // Still holding the lock means still having the session that holds it.
        await this.session().query('SELECT 1');
        return;
      }
      const rows = (await this.session().query('SELECT pg_try_advisory_lock($1) AS acquired', [
        this.lockKey,
      ])) as { acquired: boolean }[];
      if (rows[0]?.acquired === true && !this.stopped) {
        this.logger.info({ instance: this.instanceId }, 'scheduler leadership acquired');
        this.setLeading(true);
      }
    } catch (error) {
      if (this.leading) this.logger.error({ err: error }, 'scheduler leadership lost: lock session failed');
      this.setLeading(false);
      const runner = this.runner;
      this.runner = undefined;
      await runner?.release().catch(() => undefined);
    } finally {
      this.checking = false;
    }
  }

  private session(): QueryRunner {
    if (!this.runner) this.runner = this.db.createQueryRunner();
    return this.runner;
  }

  private setLeading(leading: boolean): void {
    if (this.leading === leading) return;
    this.leading = leading;
    for (const listener of this.listeners) listener(leading);
  }
}
