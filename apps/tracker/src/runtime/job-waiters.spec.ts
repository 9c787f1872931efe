import { describe, expect, it } from '@jest/globals';
import { JobWaiters } from './job-waiters.js';

describe('JobWaiters', () => {
  it('resolves succeeded jobs and rejects the others with their reason and node', async () => {
    const waiters = new JobWaiters();
    const ok = waiters.wait('a', 1_000);
    const failed = waiters.wait('b', 1_000);
    const expired = waiters.wait('c', 1_000);
    expect(waiters.ids()).toEqual(['a', 'b', 'c']);
    waiters.settle([
      { id: 'a', state: 'succeeded', output: { x: 1 }, error: null, node_id: 'n1' },
      {
        id: 'b',
        state: 'failed',
        output: null,
        error: { code: 'bad-input', message: 'masks: too big' },
        node_id: 'n2',
      },
      { id: 'c', state: 'expired', output: null, error: { code: 'expired' }, node_id: null },
      { id: 'unknown', state: 'succeeded', output: null, error: null, node_id: null },
    ]);
    await expect(ok).resolves.toMatchObject({ id: 'a', output: { x: 1 }, node_id: 'n1' });
    await expect(failed).rejects.toThrow('evidence job b failed on n2: masks: too big');
    await expect(expired).rejects.toThrow('evidence job c expired: expired');
    expect(waiters.size).toBe(0);
  });

  it('gives up on a job at its deadline and not before', async () => {
    const waiters = new JobWaiters();
    const late = waiters.wait('a', 100);
    const later = waiters.wait('b', 200);
    waiters.expire(99);
    expect(waiters.size).toBe(2);
    waiters.expire(100);
    await expect(late).rejects.toThrow('no result within its time budget');
    expect(waiters.ids()).toEqual(['b']);
    waiters.abandon('shutting down');
    await expect(later).rejects.toThrow('shutting down');
  });
});
