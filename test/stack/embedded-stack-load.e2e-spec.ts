import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SpawnedApp } from '../support/spawned-app.js';
import { logProblems, timedStop } from './support/log-problems.js';
import { expectCleanLoad } from './support/load-expectations.js';
import { runStackLoad } from './support/stack-load.js';

/**
 * `npm start` under real use: the built stack as the README starts it (embedded database,
 * in-process transport), loaded through its public APIs with a real-speed tracker replay on
 * the fleet, concurrent job submissions, admin writes and audit reads, then stopped with
 * SIGTERM. Any 5xx, error log line, failed scheduling pass, lost frame-set, wrong or repeated
 * job, broken audit chain or slow shutdown fails it.
 */

const SECONDS = Number(process.env.STACK_LOAD_SECONDS ?? 60);
const PORTS = { GATEWAY_PORT: '4210', SCHEDULER_PORT: '4211', GPU_NODE_PORT: '4212', TRACKER_PORT: '4213' };
const GRACE_MS = 10_000;
const JOBS = 300;

describe('npm start under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'voxelfleet-stack-load-'));
  let stack: SpawnedApp | undefined;

  afterAll(async () => {
    await stack?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'serves a replay, job submissions, admin writes and audit reads at once without an error, then stops in time',
    async () => {
      stack = SpawnedApp.start('dist/apps/stack/src/main.js', {
        ...PORTS,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
      });
      await stack.waitForLine(/^ {2}OpenAPI/, 120_000);
      const adminKey = stack.lines.find((line) => /^\s+vf_[a-z0-9]{10}_/.test(line))?.trim() ?? '';
      expect(adminKey).not.toBe('');

      const report = await runStackLoad(
        {
          gateway: `http://127.0.0.1:${PORTS.GATEWAY_PORT}`,
          tracker: `http://127.0.0.1:${PORTS.TRACKER_PORT}`,
        },
        adminKey,
        { seconds: SECONDS, jobs: JOBS, jobClients: 6, seed: 18 },
      );
      expectCleanLoad('embedded stack load', report, JOBS);
      expect(logProblems(stack)).toEqual([]);

      const stopped = await timedStop(stack);
      expect(stopped.code).toBe(0);
      expect(stopped.seconds).toBeLessThan(GRACE_MS / 1000);
      expect(stack.output()).not.toMatch(/shutdown did not finish in time/);
    },
    (SECONDS + 300) * 1000,
  );
});
