import { describe, expect, it } from '@jest/globals';
import type { JobCheckpoint, JobReport } from '@voxelfleet/contracts';
import { DEFAULT_RETRY_POLICY } from '@voxelfleet/scheduling';
import type { EntityManager } from 'typeorm';
import type { FinishedJob, JobStore } from '../jobs/job-store.js';
import { applyReports } from './report-batch.js';

type FailedWrite = Parameters<JobStore['markFailed']>[1][number];

/**
 * A store that applies writes to an in-memory table of (state, attempt), with the same guards
 * as the SQL: only the current attempt of an active job changes.
 */
class MemoryStore {
  readonly jobs = new Map<
    string,
    {
      state: string;
      attempt: number;
      maxAttempts: number;
      node: string;
      stoppingAttempt?: number;
      checkpoint?: JobCheckpoint;
    }
  >();
  readonly failedWrites: FailedWrite[] = [];

  confirmStops(
    _m: EntityManager,
    confirmations: readonly { jobId: string; attempt: number; checkpoint?: JobCheckpoint }[],
  ): Promise<string[]> {
    const confirmed: string[] = [];
    for (const c of confirmations) {
      const job = this.jobs.get(c.jobId);
      if (!job || job.stoppingAttempt !== c.attempt) continue;
      delete job.stoppingAttempt;
      if (c.checkpoint) job.checkpoint = c.checkpoint;
      confirmed.push(c.jobId);
    }
    return Promise.resolve(confirmed);
  }

  markRunning(_m: EntityManager, reports: readonly { jobId: string; attempt: number }[]): Promise<string[]> {
    const moved: string[] = [];
    for (const r of reports) {
      const job = this.jobs.get(r.jobId);
      if (job && job.attempt === r.attempt && job.state === 'placed') {
        job.state = 'running';
        moved.push(r.jobId);
      }
    }
    return Promise.resolve(moved);
  }

  markSucceeded(
    _m: EntityManager,
    reports: readonly { jobId: string; attempt: number }[],
  ): Promise<FinishedJob[]> {
    return Promise.resolve(
      reports.flatMap((r) => {
        const job = this.jobs.get(r.jobId);
        if (!job || job.attempt !== r.attempt || !['placed', 'running'].includes(job.state)) return [];
        job.state = 'succeeded';
        return [{ id: r.jobId, tenant_id: 't', workflow_id: null, node_id: job.node, state: 'succeeded' }];
      }),
    );
  }

  markFailed(_m: EntityManager, reports: readonly FailedWrite[]): Promise<FinishedJob[]> {
    this.failedWrites.push(...reports);
    return Promise.resolve(
      reports.flatMap((r) => {
        const job = this.jobs.get(r.jobId);
        if (!job || job.attempt !== r.attempt || !['placed', 'running'].includes(job.state)) return [];
        job.state = r.retryAt === null ? 'failed' : 'requeued';
        return [{ id: r.jobId, tenant_id: 't', workflow_id: null, node_id: job.node, state: job.state }];
      }),
    );
  }
}

function managerFor(store: MemoryStore): EntityManager {
  return {
    query: (_sql: string, [ids]: [string[]]) =>
      Promise.resolve(
        ids.flatMap((id) => {
          const job = store.jobs.get(id);
          return job ? [{ id, attempt: job.attempt, max_attempts: job.maxAttempts }] : [];
        }),
      ),
  } as unknown as EntityManager;
}

const failed = (jobId: string, attempt: number, code: string, retryable: boolean): JobReport => ({
  type: 'failed',
  jobId,
  attempt,
  nodeId: 'n1',
  at: 1_000,
  durationMs: 5,
  error: { code: code as 'internal', message: 'boom', retryable },
});

describe('applyReports', () => {
  const run = (store: MemoryStore, reports: JobReport[]) =>
    applyReports(store as unknown as JobStore, managerFor(store), reports, DEFAULT_RETRY_POLICY, 'seed');

  it('completes a job once, however often and in whatever order it is reported', async () => {
    const store = new MemoryStore();
    store.jobs.set('a', { state: 'placed', attempt: 1, maxAttempts: 3, node: 'n1' });
    const ok: JobReport = {
      type: 'succeeded',
      jobId: 'a',
      attempt: 1,
      nodeId: 'n1',
      at: 2,
      where: 'cpu',
      durationMs: 1,
      output: {},
    };
    const first = await run(store, [
      ok,
      { type: 'started', jobId: 'a', attempt: 1, nodeId: 'n1', at: 1, where: 'cpu' },
    ]);
    const again = await run(store, [ok]);
    expect(first.finished.map((j) => j.id)).toEqual(['a']);
    expect(again.finished).toEqual([]);
    expect(store.jobs.get('a')?.state).toBe('succeeded');
    expect(first.succeededOn).toEqual(['n1']);
    expect(first.started).toEqual([{ jobId: 'a', startedAtMs: 1 }]);
    expect(first.released).toEqual(['a']);
    expect(again.released).toEqual([]);
  });

  it('ignores a report of an attempt that has since been requeued', async () => {
    const store = new MemoryStore();
    store.jobs.set('a', { state: 'running', attempt: 2, maxAttempts: 3, node: 'n2' });
    const outcome = await run(store, [
      {
        type: 'succeeded',
        jobId: 'a',
        attempt: 1,
        nodeId: 'n1',
        at: 2,
        where: 'cpu',
        durationMs: 1,
        output: {},
      },
    ]);
    expect(outcome.finished).toEqual([]);
    expect(store.jobs.get('a')?.state).toBe('running');
  });

  it('takes the report of a run told to stop as the end of its stop, never as a result', async () => {
    const store = new MemoryStore();
    // Preempted (requeued, its run on n1 told to stop) and cancelled (its run told to stop).
    store.jobs.set('victim', {
      state: 'requeued',
      attempt: 1,
      maxAttempts: 3,
      node: 'n1',
      stoppingAttempt: 1,
    });
    store.jobs.set('cancelled', {
      state: 'cancelled',
      attempt: 2,
      maxAttempts: 3,
      node: 'n1',
      stoppingAttempt: 2,
    });
    const checkpoint = { launchesDone: 7, inputs: { a: 1 }, at: 5 };
    const outcome = await run(store, [
      // The victim finished before the stop reached it: not a result, but its room is free.
      {
        type: 'succeeded',
        jobId: 'victim',
        attempt: 1,
        nodeId: 'n1',
        at: 2,
        where: 'cpu',
        durationMs: 1,
        output: { y: [1] },
      },
      {
        type: 'stopped',
        jobId: 'cancelled',
        attempt: 2,
        nodeId: 'n1',
        at: 3,
        reason: 'cancelled',
        durationMs: 10,
        started: true,
        launchesDone: 7,
        checkpoint,
      },
      // An older attempt's stop confirms nothing.
      {
        type: 'stopped',
        jobId: 'cancelled',
        attempt: 1,
        nodeId: 'n1',
        at: 3,
        reason: 'cancelled',
        durationMs: 10,
        started: false,
        launchesDone: 0,
      },
    ]);
    expect(outcome.finished).toEqual([]);
    expect(store.jobs.get('victim')?.state).toBe('requeued');
    expect([...outcome.stopsConfirmed].sort()).toEqual(['cancelled', 'victim']);
    expect(store.jobs.get('cancelled')?.checkpoint).toEqual(checkpoint);
    expect(store.jobs.get('victim')?.stoppingAttempt).toBeUndefined();
  });

  it('retries a retryable failure with backoff, fails a non-retryable one at once, and stops at the limit', async () => {
    const store = new MemoryStore();
    store.jobs.set('retry', { state: 'running', attempt: 1, maxAttempts: 3, node: 'n1' });
    store.jobs.set('bad', { state: 'running', attempt: 1, maxAttempts: 3, node: 'n1' });
    store.jobs.set('last', { state: 'running', attempt: 3, maxAttempts: 3, node: 'n1' });
    const outcome = await run(store, [
      failed('retry', 1, 'launch-failed', true),
      failed('bad', 1, 'bad-input', false),
      failed('last', 3, 'launch-failed', true),
    ]);
    const write = (id: string) => store.failedWrites.find((w) => w.jobId === id);
    expect(write('retry')?.retryAt).toBeGreaterThan(1_000);
    expect(write('retry')?.reason).toMatch(/retry: attempt 2 of 3/);
    expect(write('bad')?.retryAt).toBeNull();
    expect(write('last')?.retryAt).toBeNull();
    expect(write('last')?.reason).toMatch(/attempt limit/);
    expect(outcome.requeued).toBe(1);
    expect(outcome.finished.map((j) => j.id).sort()).toEqual(['bad', 'last']);
    // A retried job leaves its node too: it holds no room until it is placed again.
    expect([...outcome.released].sort()).toEqual(['bad', 'last', 'retry']);
    // Launch failures are the node's; bad input is the job's own and does not count.
    expect(outcome.failedOn).toEqual(['n1', 'n1']);
  });
});
