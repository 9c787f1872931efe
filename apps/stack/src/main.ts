import { resolve } from 'node:path';
import { loadConfigOrExit } from '@voxelfleet/config';
import { startTracing } from '@voxelfleet/observability';
import { stackConfigSchema } from './stack.config.js';

const config = loadConfigOrExit(stackConfigSchema);
const tracing = await startTracing('voxelfleet-stack', config.OTEL_EXPORTER_OTLP_ENDPOINT);
const { startStack } = await import('./stack.js');
try {
  await startStack(config, tracing, resolve(config.DATA_DIR));
} catch (error) {
  // One readable line and a non-zero status, not a stack trace, for what a user can fix.
  process.stderr.write(
    `voxelfleet: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
