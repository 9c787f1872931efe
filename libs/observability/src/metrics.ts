import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * One registry per app (not prom-client's global one), so several apps in one process each
 * expose their own metrics with their own `app` label.
 */
export function createMetricsRegistry(app: string, withProcessMetrics = true): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  if (withProcessMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

export function createHttpDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  return new Histogram({
    name: 'voxelfleet_http_request_duration_seconds',
    help: 'HTTP request duration by method, matched route and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
}
