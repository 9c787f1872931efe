import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, DATA_SOURCE, METRICS_REGISTRY, TRANSPORT, type AppInfra } from '@voxelfleet/platform';
import type { Transport } from '@voxelfleet/transport';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { NodeEventsConsumer } from './audit/node-events.consumer.js';
import { DecisionLog } from './decisions/decision-log.js';
import { DecisionsController } from './decisions/decisions.controller.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import { FailoverService } from './fleet/failover.service.js';
import { RetentionService } from './retention/retention.service.js';
import { FleetController } from './fleet/fleet.controller.js';
import { FleetRegistryService } from './fleet/fleet-registry.service.js';
import { NodeHistory } from './fleet/node-history.js';
import { ActiveJobs } from './jobs/active-jobs.js';
import { JobStore } from './jobs/job-store.js';
import { LeaderElectionService } from './leader/leader-election.service.js';
import { SchedulingLoopService } from './loop/scheduling-loop.service.js';
import { SchedulerMetrics } from './metrics/scheduler-metrics.js';
import { JobReportsConsumer } from './reports/job-reports.consumer.js';
import type { SchedulerSettings } from './scheduler.config.js';
import { TenantView } from './tenants/tenant-view.js';
import {
  ACTIVE_JOBS,
  DECISION_LOG,
  DISPATCHER,
  JOB_STORE,
  NODE_HISTORY,
  SCHEDULER_METRICS,
  SCHEDULER_SETTINGS,
  TENANT_VIEW,
} from './tokens.js';

/**
 * Admission, placement, dispatch, outcomes and failover. Every instance tracks the fleet;
 * the one holding the leader lock schedules, consumes node reports and watches liveness.
 */
@Module({})
export class SchedulerModule {
  static forRoot(infra: AppInfra, settings: SchedulerSettings): DynamicModule {
    if (!infra.dataSource) throw new Error('the scheduler needs a database');
    return {
      module: SchedulerModule,
      imports: [CoreModule.forRoot(infra)],
      controllers: [FleetController, DecisionsController],
      providers: [
        { provide: SCHEDULER_SETTINGS, useValue: settings },
        { provide: JOB_STORE, useFactory: (db: DataSource) => new JobStore(db), inject: [DATA_SOURCE] },
        {
          provide: ACTIVE_JOBS,
          useFactory: (store: JobStore) => new ActiveJobs(() => store.loadActive()),
          inject: [JOB_STORE],
        },
        {
          provide: TENANT_VIEW,
          useFactory: (db: DataSource, store: JobStore) => new TenantView(db, store),
          inject: [DATA_SOURCE, JOB_STORE],
        },
        {
          provide: DISPATCHER,
          useFactory: (transport: Transport, db: DataSource) =>
            new Dispatcher(transport, db, settings.dispatchShards ?? 0),
          inject: [TRANSPORT, DATA_SOURCE],
        },
        {
          provide: DECISION_LOG,
          useFactory: (db: DataSource, leader: LeaderElectionService) =>
            new DecisionLog(db, leader.instanceId),
          inject: [DATA_SOURCE, LeaderElectionService],
        },
        { provide: NODE_HISTORY, useFactory: (db: DataSource) => new NodeHistory(db), inject: [DATA_SOURCE] },
        {
          provide: SCHEDULER_METRICS,
          useFactory: (registry: Registry) => new SchedulerMetrics(registry),
          inject: [METRICS_REGISTRY],
        },
        FleetRegistryService,
        LeaderElectionService,
        SchedulingLoopService,
        JobReportsConsumer,
        NodeEventsConsumer,
        FailoverService,
        RetentionService,
      ],
    };
  }
}
