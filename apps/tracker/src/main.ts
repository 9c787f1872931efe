import { loadConfigOrExit } from '@voxelfleet/config';
import { startTracing } from '@voxelfleet/observability';
import { trackerConfigSchema } from './tracker.config.js';

const config = loadConfigOrExit(trackerConfigSchema);
const tracing = await startTracing('tracker', config.OTEL_EXPORTER_OTLP_ENDPOINT);
const { runStandalone } = await import('@voxelfleet/platform');
const { TrackerModule } = await import('./tracker.module.js');
const { setupTrackerOpenApi } = await import('./openapi.js');
const { TRACKER_JSON_ROUTE_LIMITS } = await import('./tracker.settings.js');
await runStandalone({
  name: 'tracker',
  config,
  tracing,
  usesDatabase: true,
  module: (infra) =>
    TrackerModule.forRoot(infra, {
      redisUrl: config.REDIS_URL,
      socketKeyPrefix: config.QUEUE_PREFIX,
      evidence: config.TRACKER_EVIDENCE,
      evidenceBudgetMs: config.TRACKER_EVIDENCE_BUDGET_MS,
      rateLimit: {
        enabled: config.RATE_LIMIT_ENABLED,
        limit: config.RATE_LIMIT_PER_WINDOW,
        windowMs: config.RATE_LIMIT_WINDOW_MS,
      },
    }),
  configure: setupTrackerOpenApi,
  jsonRouteLimits: TRACKER_JSON_ROUTE_LIMITS,
});
