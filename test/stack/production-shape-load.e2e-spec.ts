import { afterAll, describe, expect, it } from '@jest/globals';
import { generateApiKey } from '@voxelfleet/auth';
import { eventually, schedulerDatabase, startApp } from '../scheduler/scheduler-fixture.js';
import { testRedisUrl } from '../support/env.js';
import { SpawnedApp } from '../support/spawned-app.js';
import { logProblems, timedStop } from './support/log-problems.js';
import { expectCleanLoad } from './support/load-expectations.js';
import { runStackLoad } from './support/stack-load.js';

/**
 * The same load as the embedded stack's, on the production shape: each service its own
 * process, a real Postgres server and Redis (BullMQ, socket.io adapter). Only the first
 * platform-admin key is written straight to the tables, as an operator's bootstrap would.
 */

const SECONDS = Number(process.env.STACK_LOAD_SECONDS ?? 60);
const PORTS = { gateway: 4840, scheduler: 4841, gpuNode: 4842, tracker: 4843 };
const GRACE_MS = 10_000;
const JOBS = 300;

describe('the production shape under load', () => {
  let database: Awaited<ReturnType<typeof schedulerDatabase>> | undefined;
  let apps: Record<keyof typeof PORTS, SpawnedApp> | undefined;

  afterAll(async () => {
    await Promise.all(Object.values(apps ?? {}).map((app) => app.stop('SIGKILL')));
    await database?.close();
  });

  it(
    'serves a replay, job submissions, admin writes and audit reads at once without an error, then stops in time',
    async () => {
      database = await schedulerDatabase('stack_load');
      const [principal] = await database.db.query<{ id: string }[]>(
        `INSERT INTO principals (tenant_id, kind, name, roles) VALUES (NULL, 'service', 'root', '{platform-admin}') RETURNING id`,
      );
      const adminKey = generateApiKey();
      await database.db.query(
        `INSERT INTO api_keys (principal_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'root')`,
        [principal?.id, adminKey.prefix, adminKey.hash],
      );
      const common = {
        DATABASE_URL: database.url,
        QUEUE_PREFIX: `vf-e2e-stackload-${process.pid}`,
        LOG_LEVEL: 'warn',
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
      };
      apps = {
        gateway: startApp('gateway', PORTS.gateway, common),
        scheduler: startApp('scheduler', PORTS.scheduler, common),
        gpuNode: startApp('gpu-node', PORTS.gpuNode, { ...common, NODE_ID: 'load-node', CPU_SLOTS: '2' }),
        tracker: SpawnedApp.start('dist/apps/tracker/src/main.js', {
          ...common,
          PORT: String(PORTS.tracker),
          HOST: '127.0.0.1',
          REDIS_URL: testRedisUrl(),
          TRACKER_EVIDENCE: 'fleet',
        }),
      };
      for (const [name, port] of Object.entries(PORTS)) {
        const app = apps[name as keyof typeof PORTS];
        await eventually(
          async () => {
            if (app.child.exitCode !== null) throw new Error(`${name} exited: ${app.output()}`);
            const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
            return res?.ok ? true : undefined;
          },
          60_000,
          `${name} ready`,
        );
      }

      const report = await runStackLoad(
        { gateway: `http://127.0.0.1:${PORTS.gateway}`, tracker: `http://127.0.0.1:${PORTS.tracker}` },
        adminKey.key,
        { seconds: SECONDS, jobs: JOBS, jobClients: 6, seed: 1018 },
      );
      expectCleanLoad('production shape load', report, JOBS);
      for (const app of Object.values(apps)) expect(logProblems(app)).toEqual([]);

      // Edge first, scheduler last, as an orchestrator rolling the services would.
      for (const name of ['gateway', 'tracker', 'gpuNode', 'scheduler'] as const) {
        const stopped = await timedStop(apps[name]);
        expect({ name, code: stopped.code }).toEqual({ name, code: 0 });
        expect(stopped.seconds).toBeLessThan(GRACE_MS / 1000);
      }
    },
    (SECONDS + 300) * 1000,
  );
});
