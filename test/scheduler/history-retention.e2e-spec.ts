import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDataSource, migrateWithLock } from '@voxelfleet/persistence';
import { DAY_MS, FINISHED_JOB_STATES, retentionCutoffs } from '@voxelfleet/scheduling';
import type { DataSource } from 'typeorm';
import { HistoryRetention } from '../../apps/scheduler/src/retention/history-retention.js';
import { createTestDatabase } from '../support/database.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * DAY_MS).toISOString();

describe('history retention (real Postgres)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: DataSource;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase('retention');
    db = createDataSource({ url: database.url, poolSize: 2 });
    await db.initialize();
    await migrateWithLock(db);
    const rows = await db.query<{ id: string }[]>(
      `INSERT INTO tenants (name) VALUES ('retention') RETURNING id`,
    );
    tenantId = (rows[0] as { id: string }).id;
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  /** A job that went through the state machine (so it has history), finished `days` ago. */
  async function job(state: string, finishedDaysAgo: number | null, workflowId: string | null = null) {
    const rows = await db.query<{ id: string }[]>(
      `INSERT INTO jobs (tenant_id, kernel, priority, workflow_id) VALUES ($1, '{"name":"noop"}', 'normal', $2)
       RETURNING id`,
      [tenantId, workflowId],
    );
    const id = (rows[0] as { id: string }).id;
    await db.query(`UPDATE jobs SET state = 'placed', node_id = 'n1' WHERE id = $1`, [id]);
    await db.query(`UPDATE jobs SET state = 'running' WHERE id = $1`, [id]);
    if (state !== 'running')
      await db.query(`UPDATE jobs SET state = $2, finished_at = $3 WHERE id = $1`, [
        id,
        state,
        finishedDaysAgo === null ? null : daysAgo(finishedDaysAgo),
      ]);
    return id;
  }

  async function workflow(state: string, finishedDaysAgo: number | null) {
    const rows = await db.query<{ id: string }[]>(
      `INSERT INTO workflows (tenant_id, state, finished_at) VALUES ($1, $2, $3) RETURNING id`,
      [tenantId, state, finishedDaysAgo === null ? null : daysAgo(finishedDaysAgo)],
    );
    return (rows[0] as { id: string }).id;
  }

  const ids = async (table: string, column = 'id') =>
    new Set(
      (await db.query<Record<string, string>[]>(`SELECT ${column} FROM ${table}`)).map((r) => r[column]),
    );

  it('only finished states are pruned: they are the states with no move out', async () => {
    const withMoves = new Set(
      (await db.query<{ from_state: string }[]>(`SELECT DISTINCT from_state FROM job_state_moves`)).map(
        (r) => r.from_state,
      ),
    );
    const targets = new Set(
      (await db.query<{ to_state: string }[]>(`SELECT DISTINCT to_state FROM job_state_moves`)).map(
        (r) => r.to_state,
      ),
    );
    const deadEnds = [...targets].filter((s) => !withMoves.has(s)).sort();
    expect(deadEnds).toEqual([...FINISHED_JOB_STATES].sort());
  });

  it('deletes old finished jobs, their history and finished workflows, in batches, and nothing else', async () => {
    const oldDone = [await job('succeeded', 40), await job('failed', 35), await job('cancelled', 31)];
    const recentDone = await job('succeeded', 3);
    const stillRunning = await job('running', null);
    const doneWorkflow = await workflow('succeeded', 33);
    const doneWorkflowJobs = [
      await job('succeeded', 34, doneWorkflow),
      await job('succeeded', 33, doneWorkflow),
    ];
    // A finished workflow with a job that finished inside the window keeps everything.
    const mixedWorkflow = await workflow('failed', 32);
    const mixedJobs = [await job('failed', 40, mixedWorkflow), await job('succeeded', 10, mixedWorkflow)];
    const runningWorkflow = await workflow('running', null);
    const runningWorkflowJob = await job('succeeded', 40, runningWorkflow);
    await db.query(
      `INSERT INTO workflow_edges (workflow_id, parent_job_id, child_job_id) VALUES ($1, $2, $3), ($4, $5, $6)`,
      [doneWorkflow, doneWorkflowJobs[0], doneWorkflowJobs[1], mixedWorkflow, mixedJobs[0], mixedJobs[1]],
    );
    for (const [days, position] of [
      [20, 0],
      [16, 1],
      [15, 2],
      [1, 3],
    ] as const)
      await db.query(
        `INSERT INTO scheduling_decisions (at, pass_digest, position, kind, seed, inputs_digest, choice, reason, leader)
         VALUES ($1, 'p', $2, 'placement', '0', 'd', '{}', 'r', 'l')`,
        [daysAgo(days), position],
      );
    await db.query(
      `INSERT INTO scheduling_passes (pass_digest, at, snapshot, queue, options)
       VALUES ('old', $1, '{}', '[]', '{}'), ('new', $2, '{}', '[]', '{}')`,
      [daysAgo(20), daysAgo(1)],
    );

    const cutoffs = retentionCutoffs(NOW, { jobRetentionMs: 30 * DAY_MS, decisionRetentionMs: 14 * DAY_MS });
    // Batches of two: several statements per table, and a last short one.
    const pruned = await new HistoryRetention(db, 2).prune(cutoffs);
    expect(pruned).toEqual({ jobs: 3, workflows: 1, decisions: 3, passes: 1 });

    const jobs = await ids('jobs');
    for (const id of [...oldDone, ...doneWorkflowJobs]) expect(jobs.has(id)).toBe(false);
    for (const id of [recentDone, stillRunning, ...mixedJobs, runningWorkflowJob])
      expect(jobs.has(id)).toBe(true);
    expect(await ids('workflows')).toEqual(new Set([mixedWorkflow, runningWorkflow]));
    expect((await ids('workflow_edges', 'child_job_id')).has(mixedJobs[1] as string)).toBe(true);
    // Their history went with them; the kept jobs' history stayed.
    const history = await ids('job_transitions', 'job_id');
    for (const id of [...oldDone, ...doneWorkflowJobs]) expect(history.has(id)).toBe(false);
    for (const id of [recentDone, stillRunning, ...mixedJobs]) expect(history.has(id)).toBe(true);
    expect(await ids('scheduling_decisions', 'position')).toEqual(new Set([3]));
    expect(await ids('scheduling_passes', 'pass_digest')).toEqual(new Set(['new']));

    // A second round finds nothing; zero retention keeps everything.
    expect(await new HistoryRetention(db, 2).prune(cutoffs)).toEqual({
      jobs: 0,
      workflows: 0,
      decisions: 0,
      passes: 0,
    });
    const keepAll = retentionCutoffs(NOW + 365 * DAY_MS, { jobRetentionMs: 0, decisionRetentionMs: 0 });
    expect(await new HistoryRetention(db).prune(keepAll)).toEqual({
      jobs: 0,
      workflows: 0,
      decisions: 0,
      passes: 0,
    });
    expect((await ids('jobs')).size).toBe(jobs.size);
  });
});
