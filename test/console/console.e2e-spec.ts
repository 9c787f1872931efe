import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import {
  api,
  ARTIFACTS,
  launchChromium,
  signIn,
  startConsoleStack,
  type ConsoleStack,
} from './support/console-stack.js';

/**
 * The web console in headless Chromium against the built stack on real Postgres and Redis:
 * sign-in, a live stream whose tracks appear and move in the three.js scene while a generated
 * scene replays, a job's timeline and a workflow's DAG, and the audit view denied to a
 * tenant member. Screenshots go to test-artifacts/console/.
 */

interface Snapshot {
  t: number | null;
  mode: string;
  tracks: { id: number; position: [number, number, number] }[];
  trailVertices: number;
  trailLength: number;
  labels: number[];
  framesRendered: number;
  followed: number | null;
}

const FPS = 20;

let stack: ConsoleStack;
let browser: Browser;
let memberKey = '';
/** A scene rendered by the scene CLI (`npm run scene`): metadata.json, ground truth, PNGs. */
const sceneDir = mkdtempSync(join(tmpdir(), 'console-scene-'));
let metadata: { image_file: string }[] = [];
let grid: { origin: number[]; dims: number[]; voxelSize: number };

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  return { context, page };
}

const snapshot = (page: Page) => page.evaluate<Snapshot>('window.voxelfleetView.snapshot()');

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  // Rendered by the built CLI in its own process: plain Node renders it several times faster
  // than code loaded through Jest's module system.
  const render = promisify(execFile)(process.execPath, [
    resolve(import.meta.dirname, '../../dist/scripts/scene/main.js'),
    ...[
      '--out',
      sceneDir,
      '--seed',
      '11',
      '--targets',
      '3',
      '--frames',
      '100',
      '--cameras',
      '4',
      '--fps',
      String(FPS),
    ],
  ]);
  // Settled, not Promise.all: when one of them fails, what did start is kept for afterAll to
  // stop (a stack left running holds its ports for the next run).
  const [started, launched, rendered] = await Promise.allSettled([
    startConsoleStack('console', 5110),
    launchChromium(),
    render,
  ]);
  if (started.status === 'fulfilled') stack = started.value;
  if (launched.status === 'fulfilled') browser = launched.value;
  for (const outcome of [started, launched, rendered])
    if (outcome.status === 'rejected') throw outcome.reason;
  metadata = JSON.parse(readFileSync(join(sceneDir, 'metadata.json'), 'utf8')) as typeof metadata;
  grid = (JSON.parse(readFileSync(join(sceneDir, 'ground-truth.json'), 'utf8')) as { grid: typeof grid })
    .grid;
  const admin = stack.adminKey;
  const gw = stack.gatewayUrl;
  const tenant = await api<{ id: string }>(gw, admin, 'POST', '/admin/tenants', {
    name: `console-${process.pid}`,
    edition: 'pro',
  });
  const member = await api<{ id: string }>(gw, admin, 'POST', '/admin/principals', {
    tenantId: tenant.id,
    name: 'console-member',
    kind: 'service',
    roles: ['tenant-member'],
  });
  memberKey = (await api<{ key: string }>(gw, admin, 'POST', `/admin/principals/${member.id}/keys`, {})).key;
  await api(gw, admin, 'POST', '/admin/grants', {
    principalId: member.id,
    kernels: ['**'],
    deviceClasses: ['*'],
    cpuFallback: true,
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (process.env.CONSOLE_E2E_LOGS) console.log(stack?.process.output());
  await stack?.stop();
  rmSync(sceneDir, { recursive: true, force: true });
});

describe('web console', () => {
  it('signs in with an API key kept in session storage, never in the URL', async () => {
    const { context, page } = await newPage();
    await page.goto(`${stack.gatewayUrl}/console/`);
    await page.getByTestId('api-key').fill('vf_0000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await page.getByTestId('sign-in').click();
    await page.getByText('The gateway did not accept this key.').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    await signIn(page, stack.gatewayUrl, stack.adminKey);
    expect(await page.getByTestId('who').textContent()).toContain('platform-admin');
    expect(page.url()).not.toContain(stack.adminKey);
    expect(await page.evaluate('sessionStorage.getItem("voxelfleet.apiKey")')).toBe(stack.adminKey);
    // A client route loads straight from the gateway (index.html fallback) and keeps the session.
    await page.goto(`${stack.gatewayUrl}/console/fleet`);
    // The stack's own gpu-node (a CPU node here): the view refreshes every 3 s, so a first
    // render from before the node's first heartbeat says no node has reported yet.
    await page.getByTestId('node-table').getByText('local-node').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('fleet-jobs').textContent()).toContain('Queue depth');
    await page.getByTestId('tenant-table').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'fleet.png'), fullPage: true });
    await context.close();
  });

  it('draws a replaying stream: tracks appear in the scene graph and move', async () => {
    const t0 = Date.now();
    const mark = (what: string) =>
      process.env.CONSOLE_E2E_LOGS && console.log(`${Date.now() - t0} ms ${what}`);
    const tr = stack.trackerUrl;
    const rig = await api<{ id: string }>(tr, memberKey, 'POST', '/v1/rigs/import', {
      name: 'console-rig',
      metadata,
      resolution: { width: 320, height: 240 },
    });
    const stream = await api<{ id: string }>(tr, memberKey, 'POST', '/v1/streams', {
      name: 'console-stream',
      rigId: rig.id,
      grid: { origin: grid.origin, dims: grid.dims, voxelSize: grid.voxelSize },
      parameters: { confirmHits: 2, confirmWindow: 3, fps: FPS },
    });
    await api(tr, memberKey, 'POST', `/v1/streams/${stream.id}/start`);

    mark('stream started');
    const { context, page } = await newPage();
    await signIn(page, stack.gatewayUrl, memberKey);
    await page.getByRole('navigation').getByRole('link', { name: 'Streams' }).click();
    await page.getByTestId('stream-link').click();
    await until(
      () => page.getByTestId('live-status').getAttribute('data-state'),
      (s) => s === 'subscribed',
      15_000,
      'subscribed',
    );
    mark('subscribed');
    const idle = await snapshot(page);
    expect(idle.tracks).toEqual([]);

    // The scene replays at real speed while the page watches.
    let upload = request(tr)
      .post(`/v1/streams/${stream.id}/replay`)
      .set('authorization', `Bearer ${memberKey}`)
      .field('speed', 'real')
      .attach('metadata', join(sceneDir, 'metadata.json'));
    for (const entry of metadata) upload = upload.attach(entry.image_file, join(sceneDir, entry.image_file));
    mark('upload built');
    const replay = await upload;
    mark('uploaded');
    expect(replay.status).toBe(202);

    const first = await until(
      () => snapshot(page),
      (s) => s.tracks.length >= 2,
      20_000,
      'tracks in the scene',
    );
    mark('tracks seen');
    await page.screenshot({ path: join(ARTIFACTS, 'live-stream.png') });
    const second = await until(
      () => snapshot(page),
      (s) => s.t !== null && first.t !== null && s.t >= first.t + 0.3,
      10_000,
      'later frame drawn',
    );
    const moved = first.tracks.filter((a) => {
      const b = second.tracks.find((candidate) => candidate.id === a.id);
      return (
        b !== undefined &&
        Math.hypot(
          b.position[0] - a.position[0],
          b.position[1] - a.position[1],
          b.position[2] - a.position[2],
        ) > 0.01
      );
    });
    expect(moved.length).toBeGreaterThanOrEqual(1);
    expect(second.labels).toEqual(expect.arrayContaining(second.tracks.map((track) => track.id)));
    expect(second.trailVertices).toBeGreaterThan(0);
    // The trail buffer the GPU draws holds the path: about as long as the tracks moved.
    expect(second.trailLength).toBeGreaterThan(0.1);
    // Positions come from the tracker: inside the stream's grid.
    const max = grid.origin.map((o, axis) => o + grid.dims[axis]! * grid.voxelSize);
    for (const track of second.tracks) {
      track.position.forEach((v, axis) => {
        expect(v).toBeGreaterThanOrEqual(grid.origin[axis]! - 1);
        expect(v).toBeLessThanOrEqual(max[axis]! + 1);
      });
    }

    // Pause, then scrub back: the scene shows an earlier instant and stays there.
    await page.getByTestId('play-pause').click();
    await page.evaluate(`(() => {
      const slider = document.querySelector('[data-testid=timeline]');
      slider.value = '0';
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    })()`);
    const scrubbed = await until(
      () => snapshot(page),
      (s) => s.mode === 'paused' && s.t !== null && s.t < first.t!,
      5_000,
      'scrubbed back',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await snapshot(page)).t).toBe(scrubbed.t);

    // Back to live and paused there: hover a track for its confidence and velocity, then
    // follow it from the list.
    await page.getByTestId('go-live').click();
    await page.getByTestId('play-pause').click();
    const held = await until(
      () => snapshot(page),
      (s) => s.mode === 'paused' && s.tracks.length > 0,
      5_000,
      'paused at live',
    );
    const target = held.tracks[0]!;
    const at = await page.evaluate<{ x: number; y: number } | null>(
      `window.voxelfleetView.screenPosition(${target.id})`,
    );
    expect(at).not.toBeNull();
    await page.mouse.move(at!.x, at!.y);
    const tooltip = page.getByTestId('track-tooltip');
    await tooltip.waitFor({ state: 'visible', timeout: 5_000 });
    const hover = (await tooltip.textContent()) ?? '';
    expect(hover).toContain(`track #${target.id}`);
    expect(hover).toMatch(/confidence \d\.\d{3}/);
    expect(hover).toMatch(/velocity \(-?\d/);
    await page.screenshot({ path: join(ARTIFACTS, 'live-stream-scrubbed.png') });
    await page.getByTestId('follow').selectOption(String(target.id));
    expect((await snapshot(page)).followed).toBe(target.id);
    await context.close();

    // Once the replay is over, a fresh page gets the tracks from the tracker's history alone.
    await until(
      () => api<{ replay: { state: string } | null }>(tr, memberKey, 'GET', `/v1/streams/${stream.id}`),
      (s) => s.replay?.state === 'done',
      30_000,
      'replay done',
    );
    const later = await newPage();
    await signIn(later.page, stack.gatewayUrl, memberKey);
    await later.page.goto(`${stack.gatewayUrl}/console/streams/${stream.id}`);
    // The view handle is installed with the view's controls.
    await later.page.getByTestId('live-status').waitFor();
    const fromHistory = await until(
      () => snapshot(later.page),
      (s) => s.t !== null && s.tracks.length >= 2,
      10_000,
      'tracks from history',
    );
    expect(await later.page.evaluate<number>('window.voxelfleetView.updatesReceived()')).toBe(0);
    await later.page.evaluate(`window.voxelfleetView.scrub(${fromHistory.t! / 2})`);
    const middle = await until(
      () => snapshot(later.page),
      (s) => s.mode === 'paused' && s.t !== null && s.t < fromHistory.t!,
      5_000,
      'scrubbed through history',
    );
    expect(middle.tracks.length).toBeGreaterThan(0);
    await later.page.screenshot({ path: join(ARTIFACTS, 'live-stream-history.png') });
    await later.context.close();
  }, 60_000);

  it('shows a job timeline and a workflow DAG with its critical path', async () => {
    const gw = stack.gatewayUrl;
    const jobRequest = {
      kernel: 'saxpy',
      inputs: { a: 2, x: [1, 2], y: [3, 4] },
      vramBytes: 1048576,
      priority: 'normal',
      cpuFallbackAllowed: true,
    };
    const job = await api<{ id: string }>(gw, memberKey, 'POST', '/v1/jobs', jobRequest);
    const workflow = await api<{ id: string }>(gw, memberKey, 'POST', '/v1/workflows', {
      name: 'console-dag',
      steps: [
        { ...jobRequest, key: 'extract' },
        { ...jobRequest, key: 'left', dependsOn: [{ step: 'extract' }] },
        { ...jobRequest, key: 'right', estimatedDurationMs: 5000, dependsOn: [{ step: 'extract' }] },
        { ...jobRequest, key: 'merge', dependsOn: [{ step: 'left' }, { step: 'right' }] },
      ],
    });

    const { context, page } = await newPage();
    await signIn(page, gw, memberKey);
    await page.getByRole('navigation').getByRole('link', { name: 'Jobs' }).click();
    await page.locator(`a[href="/console/jobs/${job.id}"]`).click();
    await page.getByTestId('job-timeline').waitFor();
    await until(
      () => page.getByTestId('job-transitions').textContent(),
      (text) => (text ?? '').includes('succeeded'),
      20_000,
      'job finished',
    );
    expect(await page.getByTestId('job-transitions').textContent()).toContain('submitted');
    await page.screenshot({ path: join(ARTIFACTS, 'job.png'), fullPage: true });

    await page.getByRole('navigation').getByRole('link', { name: 'Jobs' }).click();
    await page.getByTestId('workflow-list').locator(`a[href="/console/workflows/${workflow.id}"]`).click();
    const dag = page.getByTestId('workflow-dag');
    await dag.waitFor();
    expect(await dag.locator('[data-step]').count()).toBe(4);
    const critical = await Promise.all(
      (await dag.locator('[data-critical=true]').all()).map((node) => node.getAttribute('data-step')),
    );
    expect(critical[0]).toBe('extract');
    expect(critical).toContain('merge');
    expect(await dag.locator('path.edge.critical').count()).toBe(critical.length - 1);
    expect(await page.getByTestId('critical-path').textContent()).toContain('extract →');
    await page.screenshot({ path: join(ARTIFACTS, 'workflow.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('shows the audit log to an admin and a denied page to a tenant member', async () => {
    const admin = await newPage();
    await signIn(admin.page, stack.gatewayUrl, stack.adminKey);
    await admin.page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
    await admin.page.getByTestId('audit-table').waitFor();
    expect(await admin.page.getByTestId('audit-table').locator('tbody tr').count()).toBeGreaterThan(0);
    await admin.page.getByTestId('audit-verify').getByText('Chains verified').waitFor();
    await admin.page.locator('input[name=action]').fill('tenant.create');
    await admin.page.getByRole('button', { name: 'Filter' }).click();
    await until(
      () => admin.page.getByTestId('audit-table').locator('tbody tr td:nth-child(5)').allTextContents(),
      (actions) => actions.length > 0 && actions.every((a) => a === 'tenant.create'),
      5_000,
      'filtered audit list',
    );
    await admin.page.screenshot({ path: join(ARTIFACTS, 'audit-admin.png'), fullPage: true });
    await admin.context.close();

    const member = await newPage();
    await signIn(member.page, stack.gatewayUrl, memberKey);
    // The nav item is there; the gateway's refusal is what the member sees.
    await member.page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
    const denied = member.page.getByTestId('denied');
    await denied.waitFor();
    expect(await denied.textContent()).toContain('403');
    await member.page.screenshot({ path: join(ARTIFACTS, 'audit-denied.png'), fullPage: true });
    await member.context.close();
  }, 30_000);
});
