import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { parseDockerfile, stageCmd } from './dockerfile-stages.js';

/**
 * No Docker engine runs here, so the compose file is validated by docker-compose's own schema
 * check and every command the image would run is checked against the build we just made
 * (the apps themselves are started from dist/ by the other e2e suites).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const COMPOSE = resolve(ROOT, 'docker/compose.yml');

interface ComposeService {
  command?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources?: { reservations?: { devices?: { driver: string; capabilities: string[] }[] } } };
}

const compose = parse(readFileSync(COMPOSE, 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

describe('docker/compose.yml and docker/Dockerfile', () => {
  it('passes docker-compose config validation', () => {
    const result = spawnSync('docker-compose', ['-f', COMPOSE, 'config', '-q'], { encoding: 'utf8' });
    if (result.error)
      throw new Error(`docker-compose is not installed (.ci/run installs it): ${result.error.message}`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs every service the architecture names', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'gateway',
        'gpu-node-cpu',
        'gpu-node-gpu',
        'grafana',
        'migrate',
        'otel-collector',
        'postgres',
        'prometheus',
        'redis',
        'scheduler',
        'tracker',
      ].sort(),
    );
    const gpu = compose.services['gpu-node-gpu']?.deploy?.resources?.reservations?.devices?.[0];
    expect(gpu).toMatchObject({ driver: 'nvidia', capabilities: ['gpu'] });
    expect(compose.services['gpu-node-cpu']?.deploy).toBeUndefined();
  });

  it('points every container command at an entry point the build produced', () => {
    const dockerfile = parseDockerfile(readFileSync(resolve(ROOT, 'docker/Dockerfile'), 'utf8'));
    const entries = [
      ...dockerfile.stages.map((s) => stageCmd(s)?.[0]),
      ...Object.values(compose.services).map((service) => service.command?.[0]),
    ].filter((entry): entry is string => entry?.startsWith('dist/') ?? false);
    expect(entries.length).toBeGreaterThanOrEqual(8);
    for (const entry of entries) expect(existsSync(resolve(ROOT, entry))).toBe(true);
  });

  it('waits on health, not just start, for every dependency of the apps', () => {
    for (const name of ['gateway', 'scheduler', 'gpu-node-gpu', 'gpu-node-cpu', 'tracker']) {
      const service = compose.services[name];
      expect(service?.healthcheck?.test.join(' ')).toContain('/health/ready');
      expect(service?.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('scrapes every app from Prometheus', () => {
    const prometheus = parse(readFileSync(resolve(ROOT, 'docker/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((c) => c.targets));
    expect(targets.map((t) => t.split(':')[0]).sort()).toEqual([
      'gateway',
      'gpu-node-cpu',
      'gpu-node-gpu',
      'scheduler',
      'tracker',
    ]);
  });

  it('builds the image the way the Dockerfile does (npm ci, npm run build)', () => {
    const dockerfile = readFileSync(resolve(ROOT, 'docker/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    expect(dockerfile).toMatch(/^RUN npm run build && npm prune --omit=dev$/m);
    // The test command already ran `npm ci` and `npm run build` in this checkout; prove the
    // pruned production tree still holds every runtime dependency the build imports.
    const output = execFileSync('npm', ['ls', '--omit=dev', '--depth=0', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const deps = Object.keys((JSON.parse(output) as { dependencies: Record<string, unknown> }).dependencies);
    for (const needed of ['@nestjs/core', 'typeorm', 'bullmq', 'pg', 'pino', 'prom-client', 'zod'])
      expect(deps).toContain(needed);
  });
});
