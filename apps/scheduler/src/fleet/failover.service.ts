import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_LOGGER } from '@voxelfleet/platform';
import { stopHoldId } from '@voxelfleet/scheduling';
import type { Logger } from 'pino';
import type { ActiveJobs } from '../jobs/active-jobs.js';
import type { JobStore } from '../jobs/job-store.js';
import { LeaderElectionService } from '../leader/leader-election.service.js';
import { SchedulingLoopService } from '../loop/scheduling-loop.service.js';
import type { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import type { SchedulerSettings } from '../scheduler.config.js';
import { ACTIVE_JOBS, DISPATCHER, JOB_STORE, SCHEDULER_METRICS, SCHEDULER_SETTINGS } from '../tokens.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { FleetRegistryService } from './fleet-registry.service.js';

const PERSIST_EVERY_MS = 1_000;
const CONTROLS_EVERY_MS = 2_000;
const RECONCILE_EVERY_MS = 5_000;
/** A stop its node has not confirmed after this long is sent again (a node takes it once). */
const STOP_RESEND_AFTER_MS = 5_000;

/**
 * The leader's watch over the fleet: a node silent for NODE_LOST_AFTER_MS is lost and every
 * job placed on it goes back to the queue at once (checked every 250 ms, so well inside 2 s
 * of the loss), and the room of runs told to stop there is free; placements a node never
 * picked up are dispatched again, and stops it has not confirmed are sent again; the nodes
 * table and operator controls are kept in step.
 */
@Injectable()
export class FailoverService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private busy = false;
  private lastPersist = 0;
  private lastControls = 0;
  private lastReconcile = 0;
  private sweepAll = true;

  constructor(
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(ACTIVE_JOBS) private readonly active: ActiveJobs,
    @Inject(SCHEDULER_METRICS) private readonly metrics: SchedulerMetrics,
    @Inject(DISPATCHER) private readonly dispatcher: Dispatcher,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(FleetRegistryService) private readonly fleet: FleetRegistryService,
    @Inject(SchedulingLoopService) private readonly loop: SchedulingLoopService,
    @Inject(LeaderElectionService) private readonly leader: LeaderElectionService,
  ) {}

  onApplicationBootstrap(): void {
    this.leader.onChange((leading) => {
      clearInterval(this.timer);
      if (!leading) return;
      this.sweepAll = true;
      this.timer = setInterval(() => void this.tick(), this.settings.livenessIntervalMs ?? 250);
    });
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async tick(nowMs = Date.now()): Promise<void> {
    if (this.busy || !this.leader.isLeader) return;
    this.busy = true;
    try {
      const transitions = this.fleet.checkLiveness(nowMs);
      for (const t of transitions)
        this.logger.info({ node: t.nodeId, from: t.from, to: t.to, reason: t.reason }, 'node state changed');
      const lost = transitions.filter((t) => t.to === 'lost').map((t) => t.nodeId);
      this.metrics.failovers.inc(lost.length);
      // A new leader also sweeps nodes its predecessor declared lost but may not have emptied.
      const sweep = this.sweepAll ? this.fleet.lostNodeIds(nowMs) : lost;
      this.sweepAll = false;
      if (sweep.length > 0) {
        const requeued = await this.store.requeueFromNodes(sweep, 'node lost');
        this.active.release(requeued.map((job) => job.id));
        if (requeued.length > 0) {
          this.metrics.requeuedByFailover.inc(requeued.length);
          this.logger.warn({ nodes: sweep, jobs: requeued.length }, 'requeued the jobs of lost nodes');
          this.loop.wake();
        }
        // Nothing runs on a lost node any more: runs told to stop there no longer hold room.
        const released = await this.store.releaseStopsOn(sweep);
        if (released.length > 0) {
          this.active.release(released.map(stopHoldId));
          this.logger.warn(
            { nodes: sweep, jobs: released.length },
            'released the stopping runs of lost nodes',
          );
          this.loop.wake();
        }
      }
      if (transitions.length > 0) this.loop.wake();
      if (nowMs - this.lastControls >= CONTROLS_EVERY_MS) {
        this.lastControls = nowMs;
        await this.fleet.refreshControls();
      }
      if (nowMs - this.lastPersist >= PERSIST_EVERY_MS) {
        this.lastPersist = nowMs;
        await this.fleet.persist(nowMs);
        await this.loop.sweepWorkflows();
      }
      if (nowMs - this.lastReconcile >= RECONCILE_EVERY_MS) {
        this.lastReconcile = nowMs;
        await this.reconcile(nowMs);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'fleet check failed');
    } finally {
      this.busy = false;
    }
  }

  /**
   * A placement whose dispatch was lost (Redis hiccup after commit, a node that restarted
   * with an empty queue) would hold its room for ever. Once its node has been heartbeating
   * without listing it for the dispatch timeout, it goes back to the queue; the attempt
   * guard makes a late start of the old attempt harmless.
   */
  private async reconcile(nowMs: number): Promise<void> {
    await this.resendStops(nowMs);
    const timeoutMs = this.settings.dispatchTimeoutMs ?? 30_000;
    const stale = await this.store.stalePlacements(new Date(nowMs - timeoutMs));
    const orphans = stale.filter((job) => {
      const listed = this.fleet.runningJobIds(job.node_id);
      return listed !== null && !listed.has(job.id);
    });
    if (orphans.length === 0) return;
    const requeued = await this.store.transaction((manager) =>
      this.store.requeueJobs(
        manager,
        orphans.map((job) => ({
          jobId: job.id,
          attempt: job.attempt,
          reason: `not started on ${job.node_id} within ${timeoutMs} ms`,
        })),
      ),
    );
    this.active.release(requeued);
    if (requeued.length > 0) this.loop.wake();
  }

  /**
   * A stop whose message was lost (Redis hiccup after commit, a node that restarted with an
   * empty queue) would hold its room until the node is lost: it is sent again until the node
   * confirms. A node answers a stop for a run it does not hold with `stopped` at once.
   */
  private async resendStops(nowMs: number): Promise<void> {
    const pending = await this.store.unconfirmedStops(nowMs - STOP_RESEND_AFTER_MS);
    if (pending.length === 0) return;
    await this.dispatcher.stop(
      pending.map(({ id, stopping }) => ({
        nodeId: stopping.nodeId,
        stop: {
          jobId: id,
          attempt: stopping.attempt,
          reason: stopping.reason,
          graceMs: stopping.graceMs,
          at: nowMs,
        },
      })),
    );
    this.logger.info({ stops: pending.length }, 'sent unconfirmed stops again');
  }
}
