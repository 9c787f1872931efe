import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { generateApiKey } from '@voxelfleet/auth';
import request from 'supertest';
import { SpawnedApp } from '../support/spawned-app.js';

/**
 * A user of an earlier release has the embedded database in PGlite under `.data/pglite`. The
 * first start of this release copies its rows into the new Postgres cluster: the old API key
 * still works, the tenant is there, no second admin key is minted, and the copy happens once.
 */

const PORTS = { GATEWAY_PORT: '4250', SCHEDULER_PORT: '4251', GPU_NODE_PORT: '4252', TRACKER_PORT: '4253' };
const gateway = `http://127.0.0.1:${PORTS.GATEWAY_PORT}`;

describe('data of the PGlite releases', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'voxelfleet-pglite-'));
  chmodSync(dataDir, 0o755);
  let stack: SpawnedApp | undefined;

  afterAll(async () => {
    await stack?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    stack = SpawnedApp.start('dist/apps/stack/src/main.js', {
      ...PORTS,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    });
    await stack.waitForLine(/^ {2}OpenAPI/, 120_000);
    return stack;
  };

  it('moves into the Postgres cluster on the first start, once', async () => {
    const key = generateApiKey();
    const tenantId = execFileSync(
      process.execPath,
      [
        join(import.meta.dirname, 'support/make-pglite-data.mjs'),
        join(dataDir, 'pglite'),
        key.prefix,
        key.hash,
      ],
      { encoding: 'utf8' },
    ).trim();

    const first = await start();
    expect(first.lines.some((line) => /^\s+vf_[a-z0-9]{10}_/.test(line))).toBe(false);
    expect(first.output()).toMatch(/copied \d+ rows of \d+ tables from the PGlite database/);
    const tenants = await request(gateway)
      .get('/admin/tenants')
      .set('authorization', `Bearer ${key.key}`)
      .expect(200);
    expect(JSON.stringify(tenants.body)).toContain(tenantId);
    // New rows take new ids and serial numbers after the copied ones.
    await request(gateway)
      .post('/admin/tenants')
      .set('authorization', `Bearer ${key.key}`)
      .send({ name: 'new-co', edition: 'pro' })
      .expect(201);
    await request(gateway).get('/admin/audit/verify').set('authorization', `Bearer ${key.key}`).expect(200);
    expect(existsSync(join(dataDir, 'pglite', 'IMPORTED-INTO-POSTGRES'))).toBe(true);
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await start();
    expect(second.output()).not.toMatch(/PGlite/);
    await request(gateway).get('/v1/me').set('authorization', `Bearer ${key.key}`).expect(200);
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 240_000);
});
