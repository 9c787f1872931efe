import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { f32, NodeUnderTest } from './gpu-node-support.js';

function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

describe('gpu-node draining on SIGTERM', () => {
  let node: NodeUnderTest;

  beforeAll(async () => {
    // One job at a time, so later dispatches wait inside the node.
    node = await NodeUnderTest.start('drain', 4501, {
      CPU_SLOTS: '1',
      MAX_CONCURRENT_JOBS: '1',
      SHUTDOWN_GRACE_MS: '20000',
    });
  });

  afterAll(async () => {
    await node.close();
  });

  it('stops taking jobs, finishes the running one, hands back the waiting one, beats draining, exits 0', async () => {
    const n = 640;
    const running = await node.dispatch({
      kernel: { name: 'matmul.f32' },
      inputs: { a: f32(rand(n * n, 1)), b: f32(rand(n * n, 2)), m: n, n, k: n },
      timeoutMs: 15_000,
    });
    await node.waitFor(
      () => node.reports.find((r) => r.jobId === running && r.type === 'started'),
      10_000,
      'the long job to start',
    );
    const waiting = await node.dispatch({ kernel: { name: 'noop' }, inputs: {} });
    await node.waitFor(
      () => node.heartbeats.find((h) => h.runningJobIds?.includes(waiting)),
      5_000,
      'the second job to be held by the node',
    );

    const exit = node.app.stop('SIGTERM');
    const draining = await node.waitFor(
      () => node.heartbeats.find((h) => h.state === 'draining'),
      5_000,
      'a draining heartbeat',
    );
    expect(draining.runningJobIds).toContain(running);

    const handedBack = await node.final(waiting);
    expect(handedBack).toMatchObject({ type: 'failed', error: { code: 'node-draining', retryable: true } });
    const finished = await node.final(running);
    expect(finished).toMatchObject({ type: 'succeeded', where: 'cpu' });
    expect(await exit).toBe(0);
    expect(node.app.logs().some((l) => l.msg === 'stopped')).toBe(true);
    // The last beat went out after the running job ended, still saying draining.
    const last = node.heartbeats.at(-1)!;
    expect(last.state).toBe('draining');

    // Nothing takes jobs any more: a dispatch now stays queued, with no report.
    const late = await node.dispatch({ kernel: { name: 'noop' }, inputs: {} });
    await new Promise((r) => setTimeout(r, 500));
    expect(node.reports.some((r) => r.jobId === late)).toBe(false);
  });
});
