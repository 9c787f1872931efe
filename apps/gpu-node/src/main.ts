import { loadConfigOrExit } from '@voxelfleet/config';
import { startTracing } from '@voxelfleet/observability';
import { agentTuning, gpuNodeConfigSchema } from './gpu-node.config.js';

const config = loadConfigOrExit(gpuNodeConfigSchema);
const tracing = await startTracing('gpu-node', config.OTEL_EXPORTER_OTLP_ENDPOINT);
const { runStandalone } = await import('@voxelfleet/platform');
const { GpuNodeModule } = await import('./gpu-node.module.js');
await runStandalone({
  name: 'gpu-node',
  config,
  tracing,
  usesDatabase: false,
  module: (infra) =>
    GpuNodeModule.forRoot(infra, {
      nodeId: config.NODE_ID,
      heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
      ...agentTuning(config),
    }),
});
