import { loadConfigOrExit } from '@voxelfleet/config';
import { startTracing } from '@voxelfleet/observability';
import { schedulerConfigSchema, settingsFromConfig } from './scheduler.config.js';

const config = loadConfigOrExit(schedulerConfigSchema);
const tracing = await startTracing('scheduler', config.OTEL_EXPORTER_OTLP_ENDPOINT);
const { runStandalone } = await import('@voxelfleet/platform');
const { SchedulerModule } = await import('./scheduler.module.js');
await runStandalone({
  name: 'scheduler',
  config,
  tracing,
  usesDatabase: true,
  module: (infra) => SchedulerModule.forRoot(infra, settingsFromConfig(config)),
});
