import { describe, expect, it } from '@jest/globals';
import { finishedReport, safeKernelLabel } from './finished-report.js';
import { fail } from './job-outcome.js';

describe('finished reports', () => {
  const job = { jobId: 'j1', attempt: 2 };

  it('reports a success with where it ran, its output and how long it took', () => {
    const report = finishedReport(
      job,
      'node-a',
      1_000,
      { ok: true, where: 'cpu', output: { sum: 3 }, fallbackReason: 'device lost' },
      1_250,
    );
    expect(report).toEqual({
      jobId: 'j1',
      attempt: 2,
      nodeId: 'node-a',
      at: 1_250,
      durationMs: 250,
      type: 'succeeded',
      where: 'cpu',
      deviceIndex: undefined,
      output: { sum: 3 },
      fallbackReason: 'device lost',
    });
  });

  it('reports a failure with its error', () => {
    const report = finishedReport(job, 'node-a', 1_000, fail('bad-input', 'x: not a number', false), 1_010);
    expect(report).toEqual({
      jobId: 'j1',
      attempt: 2,
      nodeId: 'node-a',
      at: 1_010,
      durationMs: 10,
      type: 'failed',
      error: { code: 'bad-input', message: 'x: not a number', retryable: false },
    });
  });

  it('keeps built-in kernel names as metric labels and collapses any other', () => {
    expect(safeKernelLabel('saxpy')).toBe('saxpy');
    expect(safeKernelLabel('custom')).toBe('custom');
    expect(safeKernelLabel('saxpy2')).toBe('other');
    expect(safeKernelLabel('x'.repeat(200))).toBe('other');
  });
});
