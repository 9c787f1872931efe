import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { JOB_REPORTS_QUEUE, reportsIn, type JobReport, type ReportMessage } from '@voxelfleet/contracts';
import { APP_LOGGER, TRANSPORT } from '@voxelfleet/platform';
import { DEFAULT_RETRY_POLICY, stopHoldId } from '@voxelfleet/scheduling';
import type { Consumer, DeliveredJob, Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import { FleetRegistryService } from '../fleet/fleet-registry.service.js';
import type { ActiveJobs } from '../jobs/active-jobs.js';
import type { JobStore } from '../jobs/job-store.js';
import { LeaderElectionService } from '../leader/leader-election.service.js';
import { SchedulingLoopService } from '../loop/scheduling-loop.service.js';
import type { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import type { SchedulerSettings } from '../scheduler.config.js';
import { ACTIVE_JOBS, JOB_STORE, SCHEDULER_METRICS, SCHEDULER_SETTINGS } from '../tokens.js';
import { applyReports } from './report-batch.js';

interface Waiting {
  reports: readonly JobReport[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Messages taken from the queue at once. BullMQ fetches a worker's jobs one round trip after
 * another until it holds this many before it hands any over, and on a busy event loop each
 * round trip waits for a turn: at 1,024 reports sat on the queue for seconds while passes ran.
 * Nodes send batches of reports, so a few dozen messages still make large transactions.
 */
const CONCURRENCY = 64;
/** Most reports applied in one transaction. */
const MAX_BATCH = 1_024;

/**
 * Consumes node reports from the durable JOB_REPORTS_QUEUE while this instance leads, single
 * reports and nodes' report batches alike. Reports that arrive together are applied in one
 * transaction; each message is acknowledged only once its batch has committed, and a batch
 * that fails fails its messages so BullMQ keeps them.
 */
@Injectable()
export class JobReportsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: Consumer;
  private pending: Waiting[] = [];
  private flushing = false;

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(ACTIVE_JOBS) private readonly active: ActiveJobs,
    @Inject(SCHEDULER_METRICS) private readonly metrics: SchedulerMetrics,
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(FleetRegistryService) private readonly fleet: FleetRegistryService,
    @Inject(SchedulingLoopService) private readonly loop: SchedulingLoopService,
    @Inject(LeaderElectionService) private readonly leader: LeaderElectionService,
  ) {}

  onApplicationBootstrap(): void {
    this.leader.onChange((leading) => {
      if (leading) this.start();
      else void this.stop();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private start(): void {
    if (this.consumer) return;
    this.consumer = this.transport.consume<ReportMessage>(JOB_REPORTS_QUEUE, (job) => this.receive(job), {
      concurrency: CONCURRENCY,
    });
  }

  private async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.close();
  }

  private receive(job: DeliveredJob<ReportMessage>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ reports: reportsIn(job.data), resolve, reject });
      if (!this.flushing) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.takeBatch();
        try {
          await this.apply(batch.flatMap((w) => w.reports));
          for (const waiting of batch) waiting.resolve();
        } catch (error) {
          this.logger.error(
            { err: error, messages: batch.length },
            'job reports not applied; they will be redelivered',
          );
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Whole messages, until they hold MAX_BATCH reports (at least one message). */
  private takeBatch(): Waiting[] {
    let messages = 0;
    let reports = 0;
    for (const waiting of this.pending) {
      if (messages > 0 && reports + waiting.reports.length > MAX_BATCH) break;
      messages += 1;
      reports += waiting.reports.length;
    }
    return this.pending.splice(0, messages);
  }

  private async apply(reports: readonly JobReport[]): Promise<void> {
    const retry = { ...DEFAULT_RETRY_POLICY, ...this.settings.retry };
    const applied = await this.store.transaction((manager) =>
      applyReports(this.store, manager, reports, retry, this.settings.seed ?? 'voxelfleet'),
    );
    this.active.started(applied.started);
    this.active.release(applied.released);
    this.active.release(applied.stopsConfirmed.map(stopHoldId));
    const now = Date.now();
    for (const nodeId of applied.succeededOn) this.fleet.onJobSucceeded(nodeId);
    for (const nodeId of applied.failedOn) this.fleet.onJobFailed(nodeId, now);
    for (const job of applied.finished) this.metrics.outcomes.inc({ outcome: job.state });
    if (applied.requeued > 0) this.metrics.outcomes.inc({ outcome: 'requeued' }, applied.requeued);
    if (applied.finished.length > 0 || applied.requeued > 0) await this.loop.onFinished(applied.finished);
    // Room a stopped run held is free: a job that preempted it may be waiting for it.
    if (applied.stopsConfirmed.length > 0) this.loop.wake();
  }
}
