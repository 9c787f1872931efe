import { join } from 'node:path';
import { createLogger, createMetricsRegistry, type TracingHandle } from '@voxelfleet/observability';
import {
  importPgliteData,
  pendingPgliteData,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@voxelfleet/persistence';
import {
  onTerminationSignal,
  openDatabase,
  openTransport,
  startApp,
  type AppInfra,
  type RunningApp,
} from '@voxelfleet/platform';
import { GatewayModule } from '../../gateway/src/gateway.module.js';
import { DEFAULT_GATEWAY_SETTINGS } from '../../gateway/src/gateway.settings.js';
import { setupOpenApi } from '../../gateway/src/openapi.js';
import { GpuNodeModule } from '../../gpu-node/src/gpu-node.module.js';
import { SchedulerModule } from '../../scheduler/src/scheduler.module.js';
import { setupTrackerOpenApi } from '../../tracker/src/openapi.js';
import { TrackerModule } from '../../tracker/src/tracker.module.js';
import { TRACKER_JSON_ROUTE_LIMITS } from '../../tracker/src/tracker.settings.js';
import { ensureBootstrapAdmin } from './bootstrap-admin.js';
import type { StackConfig } from './stack.config.js';

export interface RunningStack {
  apps: RunningApp[];
  databaseUrl: string;
  adminKey?: string;
  stop(): Promise<void>;
}

/**
 * Every app in this one process: one database (the embedded Postgres server unless
 * DATABASE_URL is set),
 * one transport (in-process unless REDIS_URL is set), each app on its own port.
 */
export async function startStack(
  config: StackConfig,
  tracing: TracingHandle,
  dataDir: string,
): Promise<RunningStack> {
  const logger = createLogger('stack', config.LOG_LEVEL);
  const embedded: EmbeddedPostgres | undefined = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir, log: logger });
  const databaseUrl = config.DATABASE_URL ?? embedded?.url ?? '';
  const transport = openTransport(config, logger);
  const dataSource = await openDatabase({ ...config, DATABASE_URL: databaseUrl }, logger, 'voxelfleet-stack');
  // Earlier releases kept the embedded database in PGlite: its rows move over on the first start.
  const legacy = embedded ? pendingPgliteData(dataDir) : undefined;
  if (legacy) await importPgliteData(legacy, databaseUrl, logger);
  const bootstrap = await ensureBootstrapAdmin(dataSource, config.BOOTSTRAP_ADMIN_KEY);

  const infra = (name: string, withDatabase: boolean): AppInfra => ({
    name,
    logger: createLogger(name, config.LOG_LEVEL),
    // Process-wide metrics (CPU, heap) once, on the gateway; the other apps add their own.
    registry: createMetricsRegistry(name, name === 'gateway'),
    transport,
    dataSource: withDatabase ? dataSource : undefined,
  });
  const gateway = infra('gateway', true);
  const scheduler = infra('scheduler', true);
  const gpuNode = infra('gpu-node', false);
  const tracker = infra('tracker', true);
  const apps = [
    await startApp({
      infra: scheduler,
      host: config.HOST,
      port: config.SCHEDULER_PORT,
      module: SchedulerModule.forRoot(scheduler, { nodeLostAfterMs: config.NODE_LOST_AFTER_MS }),
    }),
    await startApp({
      infra: gpuNode,
      host: config.HOST,
      port: config.GPU_NODE_PORT,
      module: GpuNodeModule.forRoot(gpuNode, {
        nodeId: config.NODE_ID,
        heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
      }),
    }),
    await startApp({
      infra: tracker,
      host: config.HOST,
      port: config.TRACKER_PORT,
      module: TrackerModule.forRoot(tracker, {
        evidence: config.TRACKER_EVIDENCE,
        evidenceBudgetMs: config.TRACKER_EVIDENCE_BUDGET_MS,
      }),
      configure: setupTrackerOpenApi,
      jsonRouteLimits: TRACKER_JSON_ROUTE_LIMITS,
    }),
    await startApp({
      infra: gateway,
      host: config.HOST,
      port: config.GATEWAY_PORT,
      // The audit signing key (made on the first start) and its checkpoint journal live with the data.
      module: GatewayModule.forRoot(gateway, {
        ...DEFAULT_GATEWAY_SETTINGS,
        auditSigningKeyFile: join(dataDir, 'audit-signing-key.pem'),
        auditCheckpointJournal: join(dataDir, 'audit-checkpoints.json'),
      }),
      configure: setupOpenApi,
    }),
  ];

  const lines = [
    'Voxelfleet is running:',
    ...apps.map(
      (app) =>
        `  ${app.name.padEnd(10)} ${app.url}  (health: ${app.url}/health/ready, metrics: ${app.url}/metrics)`,
    ),
    `  OpenAPI    ${apps[3]?.url ?? ''}/docs (gateway), ${apps[2]?.url ?? ''}/docs (tracker)`,
    `  database   ${embedded ? `embedded Postgres, cluster in ${embedded.clusterDir}` : 'DATABASE_URL'}; transport ${transport.kind}`,
  ];
  if (bootstrap.created && bootstrap.generated) {
    lines.push(
      '',
      'First start: a platform-admin API key was created. It is shown this once; keep it safe:',
      `  ${bootstrap.key}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = async () => {
    // Reverse start order: the edge stops taking requests first, the scheduler last.
    for (const app of [...apps].reverse()) await app.close();
    await transport.close();
    await dataSource.destroy();
    await embedded?.stop();
    await tracing.shutdown();
  };
  onTerminationSignal(logger, config.SHUTDOWN_GRACE_MS, stop);
  return { apps, databaseUrl, adminKey: bootstrap.created ? bootstrap.key : undefined, stop };
}
