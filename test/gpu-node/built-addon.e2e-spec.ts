import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { testRedisUrl } from '../support/env.js';
import { SpawnedApp } from '../support/spawned-app.js';

/**
 * The built services, started as the README starts them (`node dist/...`, no bundle, no
 * VOXELFLEET_CUDA_ADDON), must load the addon that `npm ci` built, and say truly why they
 * still run on the CPU. CI machines have nvcc, so the addon is built there; they have no GPU.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const ADDON = resolve(ROOT, 'libs/cuda/build/Release/voxelfleet_cuda.node');
const gpuHere = existsSync('/dev/nvidiactl');

/** With libcuda installed but no device the runtime says "no device"; without it, "no driver". */
function expectedState(): 'no-device' | 'no-driver' {
  const cache = execFileSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8' });
  return /\blibcuda\.so\.1\b/.test(cache) ? 'no-device' : 'no-driver';
}

interface DiscoveryLog {
  msg: string;
  state: string;
  reason: string;
  addon: { loaded: boolean; path: string | null };
}

function discoveryLog(app: SpawnedApp): DiscoveryLog {
  const line = app.logs().find((l) => l.msg === 'no CUDA device: this is a CPU node');
  if (!line) throw new Error(`no discovery line in the log:\n${app.output().slice(-4000)}`);
  return line as unknown as DiscoveryLog;
}

function expectLoadedButNoGpu(log: DiscoveryLog): void {
  const state = expectedState();
  expect(log.addon).toEqual({ loaded: true, path: ADDON });
  expect(log.state).toBe(state);
  expect(log.reason.startsWith(state === 'no-driver' ? 'no driver: ' : 'no device: ')).toBe(true);
  expect(log.reason).not.toMatch(/not built|failed to load/);
}

function expectDiscoveryGauge(metrics: string): void {
  const state = expectedState();
  const line = metrics.split('\n').find((l) => l.startsWith('voxelfleet_gpu_discovery_info{'));
  expect(line).toBeDefined();
  expect(line).toContain(`state="${state}"`);
  expect(line).toContain('addon="loaded"');
  expect(line).toMatch(/\} 1$/);
}

(gpuHere ? describe.skip : describe)('the built services load the CUDA addon (no GPU here)', () => {
  beforeAll(() => {
    if (!existsSync(ADDON))
      throw new Error(`${ADDON} is missing: npm ci builds it where nvcc is on PATH (npm run build:cuda)`);
  });

  describe('node dist/apps/gpu-node/src/main.js', () => {
    let app: SpawnedApp;
    const port = 4540;

    beforeAll(async () => {
      app = SpawnedApp.start('dist/apps/gpu-node/src/main.js', {
        PORT: String(port),
        HOST: '127.0.0.1',
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: `vf-e2e-addon-${process.pid}`,
        NODE_ID: 'node-addon',
        LOG_LEVEL: 'info',
      });
      await app.waitForLine(/node agent consuming its queue/);
    });

    afterAll(async () => {
      await app.stop('SIGKILL');
    });

    it('loaded the addon from the package and reports why there is no device', () => {
      expectLoadedButNoGpu(discoveryLog(app));
    });

    it('publishes the discovery on /metrics', async () => {
      const { text } = await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200);
      expectDiscoveryGauge(text);
    });
  });

  describe("node dist/apps/stack/src/main.js (the embedded stack's gpu-node)", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'voxelfleet-addon-stack-'));
    let stack: SpawnedApp;

    beforeAll(async () => {
      stack = SpawnedApp.start('dist/apps/stack/src/main.js', {
        GATEWAY_PORT: '4550',
        SCHEDULER_PORT: '4551',
        GPU_NODE_PORT: '4552',
        TRACKER_PORT: '4553',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      });
      await stack.waitForLine(/node agent consuming its queue/, 60_000);
    });

    afterAll(async () => {
      await stack.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('loads the same addon and publishes the same discovery', async () => {
      expectLoadedButNoGpu(discoveryLog(stack));
      const { text } = await request('http://127.0.0.1:4552').get('/metrics').expect(200);
      expectDiscoveryGauge(text);
    });
  });
});
