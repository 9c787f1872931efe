import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_LOGGER, DATA_SOURCE, TRANSPORT } from '@voxelfleet/platform';
import { schedulingOptionsOf, type PassOptions } from '@voxelfleet/scheduling';
import type { Transport, Unsubscribe } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { DecisionLog } from '../decisions/decision-log.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { FleetRegistryService } from '../fleet/fleet-registry.service.js';
import type { NodeHistory } from '../fleet/node-history.js';
import type { ActiveJobs } from '../jobs/active-jobs.js';
import type { FinishedJob, JobStore } from '../jobs/job-store.js';
import { LeaderElectionService } from '../leader/leader-election.service.js';
import type { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import type { SchedulerSettings } from '../scheduler.config.js';
import type { TenantView } from '../tenants/tenant-view.js';
import {
  ACTIVE_JOBS,
  DECISION_LOG,
  DISPATCHER,
  JOB_STORE,
  NODE_HISTORY,
  SCHEDULER_METRICS,
  SCHEDULER_SETTINGS,
  TENANT_VIEW,
} from '../tokens.js';
import { advanceStoredWorkflow } from '../workflows/workflow-progress.js';
import { runPass, type PassTail } from './pass-runner.js';

/**
 * The leader's scheduling loop: a pass whenever something may have changed (a submission, a
 * finished job, a requeue) and at least every SCHEDULER_TICK_MS; passes run one at a time and
 * back to back while the queue holds more than a batch, larger on a large fleet while that lasts
 * (pass-size.ts).
 */
@Injectable()
export class SchedulingLoopService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private woken = false;
  private wakeUp?: () => void;
  private loop?: Promise<void>;
  private previous: PassTail = { committed: Promise.resolve(), dispatched: Promise.resolve() };
  private readonly committing = new Set<string>();
  private unsubscribe?: Unsubscribe;
  private readonly options: PassOptions;
  /** The last pass was full: the queue is deeper than a pass. */
  private backlog = false;
  /** Room on the fleet at the last pass that looked (bounds the next pass's read). */
  private lastRoom = Number.POSITIVE_INFINITY;
  /** The last pass found nothing queued: room that jobs free has no one to go to. */
  private queueEmpty = false;

  constructor(
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(ACTIVE_JOBS) private readonly active: ActiveJobs,
    @Inject(TENANT_VIEW) private readonly tenants: TenantView,
    @Inject(DISPATCHER) private readonly dispatcher: Dispatcher,
    @Inject(DECISION_LOG) private readonly decisions: DecisionLog,
    @Inject(SCHEDULER_METRICS) private readonly metrics: SchedulerMetrics,
    @Inject(NODE_HISTORY) private readonly nodeHistory: NodeHistory,
    @Inject(FleetRegistryService) private readonly fleet: FleetRegistryService,
    @Inject(LeaderElectionService) private readonly leader: LeaderElectionService,
  ) {
    this.options = schedulingOptionsOf(settings);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.transport.subscribe('jobs.submitted', () => this.wake());
    this.leader.onChange((leading) => {
      this.metrics.leader.set(leading ? 1 : 0);
      if (leading) this.start();
      else this.running = false;
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.unsubscribe?.();
    await this.loop;
    await this.previous.committed;
    await this.previous.dispatched;
  }

  /** Run a pass as soon as the current one (if any) is done. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Workflow jobs that ended release (or skip, or cancel) their dependents. */
  async onFinished(jobs: readonly FinishedJob[]): Promise<void> {
    const workflows = [...new Set(jobs.flatMap((job) => (job.workflow_id ? [job.workflow_id] : [])))];
    await this.advanceWorkflows(workflows);
    // Finished jobs free room for queued ones. With nothing queued at the last pass, a pass
    // now would find nothing to place: on a busy fleet every report batch started one (the
    // fleet and its running jobs snapshotted, a query) for nothing. A submission, a released
    // workflow step and the tick still start passes.
    if (jobs.length > 0 && !this.queueEmpty) this.wake();
  }

  async advanceWorkflows(workflowIds: readonly string[]): Promise<void> {
    let released = 0;
    for (const workflowId of [...workflowIds].sort()) {
      const progress = await this.db.transaction((manager) => advanceStoredWorkflow(manager, workflowId));
      released += progress.released;
    }
    if (released > 0) this.wake();
  }

  /**
   * Workflows with a step cancelled through the API: the gateway only ends the step, the
   * leader decides what that means for the rest of the graph.
   */
  async sweepWorkflows(): Promise<void> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT w.id FROM workflows w
        WHERE w.state = 'running'
          AND EXISTS (SELECT 1 FROM jobs j WHERE j.workflow_id = w.id AND j.state = 'cancelled')`,
    );
    await this.advanceWorkflows(rows.map((r) => r.id));
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    // What this instance knew of the active jobs may be stale after another instance led.
    this.active.invalidate();
    const previous = this.loop ?? Promise.resolve();
    this.loop = previous.then(() => this.run());
  }

  private async run(): Promise<void> {
    await this.tenants.seed(Date.now());
    this.woken = true;
    while (this.running && this.leader.isLeader) {
      if (!this.woken) await this.sleep(this.settings.tickMs ?? 200);
      this.woken = false;
      if (!this.running) break;
      try {
        const outcome = await runPass({
          store: this.store,
          active: this.active,
          fleet: this.fleet,
          nodeHistory: this.nodeHistory,
          tenants: this.tenants,
          dispatcher: this.dispatcher,
          decisions: this.decisions,
          metrics: this.metrics,
          logger: this.logger,
          options: this.options,
          batchSize: this.settings.batchSize ?? 1_000,
          backlog: this.backlog,
          lastRoom: this.lastRoom,
          recordTrace: this.settings.recordTrace ?? false,
          previous: this.previous,
          committing: this.committing,
          onFinished: (jobs) => this.onFinished(jobs),
        });
        this.previous = {
          committed: outcome.committed,
          // A failed dispatch leaves its jobs placed; the reconcile requeues them once their
          // node has been seen without them for the dispatch timeout.
          dispatched: outcome.dispatched.catch((error: unknown) => {
            this.logger.error({ err: error }, 'dispatch failed; the jobs are requeued by the reconcile');
          }),
        };
        this.backlog = outcome.more;
        this.lastRoom = outcome.room;
        this.queueEmpty = outcome.considered === 0;
        if (outcome.more) this.woken = true;
      } catch (error) {
        this.logger.error({ err: error }, 'scheduling pass failed; retrying on the next tick');
        await this.sleep(this.settings.tickMs ?? 200);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
