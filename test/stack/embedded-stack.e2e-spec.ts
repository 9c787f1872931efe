import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { SpawnedApp } from '../support/spawned-app.js';

const PORTS = { GATEWAY_PORT: '4200', SCHEDULER_PORT: '4201', GPU_NODE_PORT: '4202', TRACKER_PORT: '4203' };

describe('npm start: the embedded single-process stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'voxelfleet-stack-'));
  let stack: SpawnedApp | undefined;

  afterAll(async () => {
    await stack?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    stack = SpawnedApp.start('dist/apps/stack/src/main.js', {
      ...PORTS,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    await stack.waitForLine(/^Voxelfleet is running:/, 60_000);
    await stack.waitForLine(/^ {2}OpenAPI/, 5_000);
    return stack;
  };

  it('starts on the embedded Postgres server and the in-process transport, serving all four apps and a first admin key', async () => {
    const first = await start();
    expect(first.lines.join('\n')).toMatch(/embedded Postgres, cluster in /);
    const keyLine = first.lines.find((line) => /^\s+vf_[a-z0-9]{10}_/.test(line));
    expect(keyLine).toBeDefined();
    for (const port of Object.values(PORTS)) {
      const ready = await request(`http://127.0.0.1:${port}`).get('/health/ready').expect(200);
      expect(ready.body.info.transport.status).toBe('up');
      const metrics = await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/app="(gateway|scheduler|gpu-node|tracker)"/);
    }
    const fleet = await waitForNodes(`http://127.0.0.1:${PORTS.SCHEDULER_PORT}`);
    expect(fleet).toEqual([expect.objectContaining({ nodeId: 'local-node', state: 'ready' })]);
    expect(await first.stop('SIGTERM')).toBe(0);
  });

  it('keeps its data across restarts and does not mint a second admin key', async () => {
    const second = await start();
    expect(second.lines.some((line) => /^\s+vf_[a-z0-9]{10}_/.test(line))).toBe(false);
    await request(`http://127.0.0.1:${PORTS.GATEWAY_PORT}`).get('/health/ready').expect(200);
    expect(await second.stop('SIGTERM')).toBe(0);
  });
});

async function waitForNodes(url: string): Promise<unknown[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { body } = await request(url).get('/v1/fleet/nodes');
    const nodes = (body as { nodes: unknown[] }).nodes;
    if (nodes.length > 0 || Date.now() > deadline) return nodes;
    await new Promise((r) => setTimeout(r, 200));
  }
}
