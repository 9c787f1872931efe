import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { registerDependencyGauge } from './dependency-metrics.js';

describe('voxelfleet_dependency_up', () => {
  it('probes every dependency at scrape time: 1 when it answers, 0 when it fails or hangs', async () => {
    const registry = new Registry();
    let databaseUp = true;
    registerDependencyGauge(
      registry,
      [
        {
          name: 'database',
          check: () => (databaseUp ? Promise.resolve() : Promise.reject(new Error('refused'))),
        },
        { name: 'transport', check: () => Promise.resolve() },
        { name: 'device', check: () => new Promise<void>(() => undefined) },
      ],
      20,
    );
    const scrape = async (): Promise<Record<string, number>> => {
      const metric = await registry.getSingleMetric('voxelfleet_dependency_up')!.get();
      return Object.fromEntries(metric.values.map((v) => [String(v.labels.dependency), v.value]));
    };
    expect(await scrape()).toEqual({ database: 1, transport: 1, device: 0 });
    databaseUp = false;
    expect(await scrape()).toEqual({ database: 0, transport: 1, device: 0 });
    expect(await registry.metrics()).toContain('# TYPE voxelfleet_dependency_up gauge');
  });
});
