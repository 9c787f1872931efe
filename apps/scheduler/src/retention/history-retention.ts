import { FINISHED_JOB_STATES, type RetentionCutoffs } from '@voxelfleet/scheduling';
import type { DataSource } from 'typeorm';

/** Rows removed by one round, by table. */
export interface PrunedRows {
  jobs: number;
  workflows: number;
  decisions: number;
  passes: number;
}

const FINISHED = `(${FINISHED_JOB_STATES.map((s) => `'${s}'`).join(', ')})`;

/**
 * Deletes history older than the cutoffs in batches of `batchSize` rows, each its own short
 * statement, so a first run over months of history never holds locks for long or builds one
 * huge transaction. A job's transitions go with it (the jobs_forget_history trigger); a
 * workflow goes only once all its jobs finished before the cutoff, and takes its jobs and
 * edges with it, so a running DAG never loses a finished parent.
 */
export class HistoryRetention {
  constructor(
    private readonly db: DataSource,
    private readonly batchSize = 5_000,
  ) {}

  async prune(cutoffs: RetentionCutoffs): Promise<PrunedRows> {
    const pruned: PrunedRows = { jobs: 0, workflows: 0, decisions: 0, passes: 0 };
    const before = cutoffs.jobsFinishedBefore;
    if (before) {
      pruned.workflows = await this.inBatches(
        `DELETE FROM workflows WHERE id IN (
           SELECT w.id FROM workflows w
            WHERE w.state <> 'running' AND w.finished_at < $1
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.workflow_id = w.id
                                AND (j.state NOT IN ${FINISHED} OR j.finished_at >= $1))
            LIMIT $2)`,
        before,
      );
      // Standalone jobs, oldest first through the finished_at index.
      pruned.jobs = await this.inBatches(
        `DELETE FROM jobs WHERE id IN (
           SELECT id FROM jobs
            WHERE finished_at < $1 AND workflow_id IS NULL AND state IN ${FINISHED}
            ORDER BY finished_at LIMIT $2)`,
        before,
      );
    }
    const decided = cutoffs.decisionsBefore;
    if (decided) {
      // The log is appended in id order; walking it from the oldest id uses the primary key
      // and stops at the first batch that reaches the cutoff.
      pruned.decisions = await this.inBatches(
        `DELETE FROM scheduling_decisions WHERE id IN (
           SELECT id FROM scheduling_decisions ORDER BY id LIMIT $2) AND at < $1`,
        decided,
      );
      pruned.passes = await this.inBatches(
        `DELETE FROM scheduling_passes WHERE pass_digest IN (
           SELECT pass_digest FROM scheduling_passes WHERE at < $1 LIMIT $2)`,
        decided,
      );
    }
    return pruned;
  }

  private async inBatches(sql: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = await this.db.query<[unknown, number]>(sql, [cutoff, this.batchSize]);
      total += deleted;
      if (deleted < this.batchSize) return total;
    }
  }
}
