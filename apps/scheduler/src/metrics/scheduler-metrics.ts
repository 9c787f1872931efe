import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The scheduler's own series (the platform adds process and HTTP ones). */
export class SchedulerMetrics {
  readonly queueDepth: Gauge<'state'>;
  readonly rejections: Counter<'reason'>;
  readonly placementLatency: Histogram;
  readonly passDuration: Histogram;
  readonly placements: Counter<'target'>;
  readonly failovers: Counter;
  readonly requeuedByFailover: Counter;
  readonly outcomes: Counter<'outcome'>;
  readonly preemptions: Counter;
  readonly leader: Gauge;
  readonly pruned: Counter<'table'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.queueDepth = new Gauge({
      name: 'voxelfleet_scheduler_queue_depth',
      help: 'Jobs waiting to be placed, as of the last pass, by state',
      labelNames: ['state'],
      registers,
    });
    this.rejections = new Counter({
      name: 'voxelfleet_scheduler_admission_rejections_total',
      help: 'Jobs refused by admission, by reason code',
      labelNames: ['reason'],
      registers,
    });
    this.placementLatency = new Histogram({
      name: 'voxelfleet_scheduler_placement_latency_seconds',
      help: 'Time from submission (or requeue) to placement',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.passDuration = new Histogram({
      name: 'voxelfleet_scheduler_pass_duration_seconds',
      help: 'Time one scheduling pass takes, load to dispatch',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.placements = new Counter({
      name: 'voxelfleet_scheduler_placements_total',
      help: 'Jobs placed, by target (gpu or cpu)',
      labelNames: ['target'],
      registers,
    });
    this.failovers = new Counter({
      name: 'voxelfleet_scheduler_failovers_total',
      help: 'Nodes declared lost',
      registers,
    });
    this.requeuedByFailover = new Counter({
      name: 'voxelfleet_scheduler_failover_requeued_jobs_total',
      help: 'Jobs requeued because their node was lost',
      registers,
    });
    this.outcomes = new Counter({
      name: 'voxelfleet_scheduler_job_outcomes_total',
      help: 'Job reports applied, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.preemptions = new Counter({
      name: 'voxelfleet_scheduler_preemptions_total',
      help: 'Jobs preempted to make room for higher-priority work',
      registers,
    });
    this.leader = new Gauge({
      name: 'voxelfleet_scheduler_leader',
      help: '1 while this instance is the leader',
      registers,
    });
    this.pruned = new Counter({
      name: 'voxelfleet_scheduler_history_pruned_rows_total',
      help: 'History rows deleted past their retention, by table',
      labelNames: ['table'],
      registers,
    });
  }
}
