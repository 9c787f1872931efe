import { join, resolve } from 'node:path';
import { loadConfigOrExit } from '@voxelfleet/config';
import { startTracing } from '@voxelfleet/observability';
import { stackConfigSchema } from './stack.config.js';

const config = loadConfigOrExit(stackConfigSchema);
const tracing = await startTracing('voxelfleet-stack', config.OTEL_EXPORTER_OTLP_ENDPOINT);
const { startStack } = await import('./stack.js');
await startStack(config, tracing, resolve(join(config.DATA_DIR, 'pglite')));
