import { describe, expect, it } from '@jest/globals';
import type { CpuTaskOutcome } from './cpu-pool.js';
import type { KernelCall } from './kernel-call.js';
import { MicroBatcher } from './micro-batcher.js';

const call = (x: number): KernelCall => ({ kernel: 'reduce.sum', x: new Float32Array([x]) });

function recorder() {
  const batches: Array<{ sums: number[]; limitMs: number }> = [];
  const run = (calls: KernelCall[], limitMs: number): Promise<CpuTaskOutcome> => {
    const sums = calls.map((c) => (c.kernel === 'reduce.sum' ? c.x[0]! : NaN));
    batches.push({ sums, limitMs });
    return Promise.resolve({
      status: 'done',
      outcomes: sums.map((s) => ({
        ok: true as const,
        result: { kernel: 'reduce.sum' as const, sum: s },
        ms: 0,
      })),
    });
  };
  return { batches, run };
}

describe('MicroBatcher', () => {
  it('groups one tenant’s calls within the window into one round trip, each getting its own result', async () => {
    const r = recorder();
    const b = new MicroBatcher(5, 16, r.run);
    const out = await Promise.all([
      b.run('t', call(1), 100),
      b.run('t', call(2), 50),
      b.run('t', call(3), 100),
    ]);
    expect(r.batches).toEqual([{ sums: [1, 2, 3], limitMs: 50 }]);
    expect(
      out.map((o) => {
        const first = o.status === 'done' ? o.outcomes[0] : undefined;
        return first?.ok ? first.result : null;
      }),
    ).toEqual([
      { kernel: 'reduce.sum', sum: 1 },
      { kernel: 'reduce.sum', sum: 2 },
      { kernel: 'reduce.sum', sum: 3 },
    ]);
  });

  it('keeps tenants apart and flushes a full batch without waiting', async () => {
    const r = recorder();
    const b = new MicroBatcher(10_000, 2, r.run);
    const out = Promise.all([
      b.run('a', call(1), 9),
      b.run('b', call(2), 9),
      b.run('a', call(3), 9),
      b.run('b', call(4), 9),
    ]);
    await out;
    expect(r.batches.map((x) => x.sums)).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('gives every member the batch outcome when the batch did not finish', async () => {
    const b = new MicroBatcher(1, 8, () => Promise.resolve({ status: 'limit', elapsedMs: 12 }));
    const out = await Promise.all([b.run('t', call(1), 10), b.run('t', call(2), 10)]);
    expect(out).toEqual([
      { status: 'limit', elapsedMs: 12 },
      { status: 'limit', elapsedMs: 12 },
    ]);
  });
});
