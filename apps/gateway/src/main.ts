import { loadConfigOrExit } from '@voxelfleet/config';
import { startTracing } from '@voxelfleet/observability';
import { gatewayConfigSchema, gatewaySettingsFrom } from './gateway.config.js';

// Config first (a bad value exits with one line), tracing second, then everything else, so
// the instrumented modules are loaded after the SDK is in place.
const config = loadConfigOrExit(gatewayConfigSchema);
const tracing = await startTracing('gateway', config.OTEL_EXPORTER_OTLP_ENDPOINT);
const { runStandalone } = await import('@voxelfleet/platform');
const { GatewayModule } = await import('./gateway.module.js');
const { setupOpenApi } = await import('./openapi.js');
const settings = gatewaySettingsFrom(config);
await runStandalone({
  name: 'gateway',
  config,
  tracing,
  usesDatabase: true,
  module: (infra) => GatewayModule.forRoot(infra, settings),
  configure: setupOpenApi,
});
