import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { SpawnedApp } from '../support/spawned-app.js';

/**
 * A database that stops answering (every Postgres process of the embedded server stopped with
 * SIGSTOP, as a wedged disk or a frozen VM would leave it) is seen: readiness turns 503 and
 * requests fail with 503 within the statement timeout plus the driver's margin, instead of
 * hanging. Once it answers again, so does the stack.
 */

const PORTS = { GATEWAY_PORT: '4230', SCHEDULER_PORT: '4231', GPU_NODE_PORT: '4232', TRACKER_PORT: '4233' };
const gateway = `http://127.0.0.1:${PORTS.GATEWAY_PORT}`;
const STATEMENT_TIMEOUT_MS = 2_000;
const READ_MARGIN_MS = 5_000;

describe('a database that stops answering', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'voxelfleet-wedge-'));
  chmodSync(dataDir, 0o755);
  let stack: SpawnedApp | undefined;
  let frozen: number[] = [];

  afterAll(async () => {
    for (const pid of frozen) signal(pid, 'SIGCONT');
    await stack?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('turns readiness to 503 and fails requests in bounded time, then recovers', async () => {
    stack = SpawnedApp.start('dist/apps/stack/src/main.js', {
      ...PORTS,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
    await stack.waitForLine(/^ {2}OpenAPI/, 120_000);
    const adminKey = stack.lines.find((line) => /^\s+vf_[a-z0-9]{10}_/.test(line))?.trim() ?? '';
    const tenants = () => request(gateway).get('/admin/tenants').set('authorization', `Bearer ${adminKey}`);
    await tenants().expect(200);
    await request(gateway).get('/health/ready').expect(200);

    frozen = postgresProcesses(join(dataDir, 'postgres'));
    expect(frozen.length).toBeGreaterThan(1);
    for (const pid of frozen) signal(pid, 'SIGSTOP');

    const probeStarted = Date.now();
    const ready = await request(gateway).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toMatch(/database/);
    expect(Date.now() - probeStarted).toBeLessThan(5_000);

    const started = Date.now();
    const refused = await tenants();
    expect(refused.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(STATEMENT_TIMEOUT_MS + READ_MARGIN_MS + 3_000);

    for (const pid of frozen) signal(pid, 'SIGCONT');
    frozen = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(gateway).get('/health/ready');
      if (res.status === 200) break;
      if (Date.now() > deadline) throw new Error(`not ready again: ${JSON.stringify(res.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await tenants().expect(200);
    expect(await stack.stop('SIGTERM')).toBe(0);
  }, 180_000);
});

/** The postmaster (from its lock file) and every process it started. */
function postgresProcesses(clusterDir: string): number[] {
  const postmaster = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
