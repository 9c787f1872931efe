import { describe, expect, it } from '@jest/globals';
import { checkDispatch } from './dispatch-shape.js';

const good = {
  jobId: 'j1',
  attempt: 2,
  tenantId: 't',
  kernel: { name: 'saxpy' },
  inputs: {},
  vramBytes: 0,
  cpuFallbackAllowed: false,
  timeoutMs: 100,
  dispatchedAtMs: 1,
};

describe('checkDispatch', () => {
  it('accepts a well-formed dispatch', () => {
    expect(checkDispatch(good)).toEqual({ ok: true, job: good });
    expect(checkDispatch({ ...good, deviceIndex: 0, deadlineAtMs: 5 }).ok).toBe(true);
  });

  it('names the wrong field, keeping the job id when there is one to report to', () => {
    expect(checkDispatch(null)).toEqual({ ok: false, reason: 'dispatch: must be an object' });
    expect(checkDispatch({ ...good, attempt: 0 })).toMatchObject({
      ok: false,
      jobId: 'j1',
      attempt: undefined,
    });
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ tenantId: '' }, /^tenantId/],
      [{ kernel: { name: 3 } }, /^kernel\.name/],
      [{ inputs: [] }, /^inputs/],
      [{ deviceIndex: -1 }, /^deviceIndex/],
      [{ vramBytes: -1 }, /^vramBytes/],
      [{ cpuFallbackAllowed: 'yes' }, /^cpuFallbackAllowed/],
      [{ timeoutMs: 0 }, /^timeoutMs/],
      [{ deadlineAtMs: 'soon' }, /^deadlineAtMs/],
    ];
    for (const [patch, reason] of cases) {
      const r = checkDispatch({ ...good, ...patch });
      expect(r).toMatchObject({ ok: false, jobId: 'j1', attempt: 2 });
      expect(!r.ok && r.reason).toMatch(reason);
    }
  });
});
