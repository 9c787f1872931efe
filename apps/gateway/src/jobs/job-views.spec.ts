import { describe, expect, it } from '@jest/globals';
import { pendingView, type JobRow } from './job-views.js';

function row(overrides: Partial<JobRow>): JobRow {
  return {
    id: 'j',
    tenant_id: 't',
    workflow_id: null,
    step: null,
    state: 'submitted',
    state_reason: 'submitted',
    kernel: { name: 'noop' },
    vram_bytes: '0',
    gpus: 1,
    priority: 'normal',
    boost: 0,
    deadline_at: null,
    estimated_duration_ms: null,
    timeout_ms: 1000,
    preemptible: false,
    affinity: null,
    cpu_fallback_allowed: false,
    granted_device_classes: null,
    attempt: 0,
    max_attempts: 3,
    not_before: null,
    node_id: null,
    device_ids: [],
    output: null,
    error: null,
    pending: null,
    submitted_at: new Date(0),
    placed_at: null,
    started_at: null,
    finished_at: null,
    ...overrides,
  };
}

describe('pendingView', () => {
  it('says nothing for jobs that are not queued', () => {
    expect(pendingView(row({ state: 'running' }), 0)).toBeNull();
    expect(pendingView(row({ state: 'succeeded' }), 0)).toBeNull();
  });

  it('names the quota, the shortfall and when it clears', () => {
    const view = pendingView(
      row({
        pending: {
          since: 1_000,
          blockers: [
            {
              kind: 'quota',
              quota: 'jobsPerMinute',
              limit: 1,
              used: 1,
              requested: 1,
              shortfall: 1,
              clearsAtMs: 61_000,
              message: 'jobsPerMinute: 1 used + 1 requested exceeds 1 by 1, clears in 1 min',
            },
          ],
        },
      }),
      2_000,
    );
    expect(view?.summary).toMatch(/jobsPerMinute/);
    expect(view?.blockers[0]).toMatchObject({
      quota: 'jobsPerMinute',
      shortfall: 1,
      clearsAt: new Date(61_000).toISOString(),
    });
    expect(view?.since).toBe(new Date(1_000).toISOString());
  });

  it('explains a retry backoff, a workflow wait, and a job not yet considered', () => {
    expect(pendingView(row({ state: 'requeued', not_before: new Date(5_000) }), 1_000)?.summary).toMatch(
      /retry backoff/,
    );
    expect(pendingView(row({ state: 'waiting' }), 0)?.summary).toMatch(/depends on/);
    expect(pendingView(row({}), 0)?.summary).toMatch(/not yet considered/);
  });
});
