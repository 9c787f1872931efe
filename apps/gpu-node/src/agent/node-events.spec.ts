import { describe, expect, it } from '@jest/globals';
import { customKernelEvent, outcomeEvent } from './node-events.js';

const job = { jobId: 'j1', attempt: 2, tenantId: 't1' };

describe('node events for the audit log', () => {
  it('raises a cpu-fallback event for a job that ran on the CPU instead of its device', () => {
    const event = outcomeEvent(
      'n1',
      job,
      'saxpy',
      { ok: true, where: 'cpu', output: {}, fallbackReason: 'device lost' },
      5,
    );
    expect(event).toEqual({
      nodeId: 'n1',
      tenantId: 't1',
      jobId: 'j1',
      attempt: 2,
      at: 5,
      type: 'job.cpu-fallback',
      detail: { kernel: 'saxpy', reason: 'device lost' },
    });
  });

  it('raises an out-of-memory event for quota and device OOMs only', () => {
    const oom = outcomeEvent(
      'n1',
      job,
      'saxpy',
      { ok: false, error: { code: 'quota-oom', message: 'over', retryable: true } },
      5,
    );
    expect(oom).toMatchObject({ type: 'job.out-of-memory', detail: { code: 'quota-oom', message: 'over' } });
    expect(
      outcomeEvent(
        'n1',
        job,
        'saxpy',
        { ok: false, error: { code: 'bad-input', message: 'x', retryable: false } },
        5,
      ),
    ).toBeNull();
    expect(outcomeEvent('n1', job, 'saxpy', { ok: true, where: 'cuda', output: {} }, 5)).toBeNull();
  });

  it('describes a custom kernel decision without its source', () => {
    const event = customKernelEvent(
      'n1',
      job,
      {
        type: 'kernel.rejected',
        name: 'scale',
        keyId: 'k',
        code: 'KERNEL_TAMPERED',
        reason: 'hash',
        ptx: 'secret',
      },
      7,
    );
    expect(event).toMatchObject({
      type: 'kernel.rejected',
      detail: { name: 'scale', keyId: 'k', code: 'KERNEL_TAMPERED', reason: 'hash' },
    });
    expect(JSON.stringify(event)).not.toContain('secret');
  });
});
