import { Gauge, type Registry } from 'prom-client';
import type { ReadinessCheck } from './tokens.js';

/** The same limit as the readiness probe's: a dependency that slow is not answering. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * `voxelfleet_dependency_up{dependency}`: each readiness dependency (database, transport...)
 * probed at scrape time, 1 when it answers within the timeout. Alerts on a dead Postgres or
 * Redis then need no log scraping, and a process that is up but cut off still says so.
 */
export function registerDependencyGauge(
  registry: Registry,
  checks: readonly ReadinessCheck[],
  timeoutMs = PROBE_TIMEOUT_MS,
): Gauge<'dependency'> {
  return new Gauge({
    name: 'voxelfleet_dependency_up',
    help: '1 while a dependency the service needs to be ready answers (probed at scrape time), else 0',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      const results = await Promise.all(
        checks.map(async (dependency) => [dependency.name, await answers(dependency, timeoutMs)] as const),
      );
      for (const [dependency, up] of results) this.set({ dependency }, up ? 1 : 0);
    },
  });
}

async function answers(dependency: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = dependency.check().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
