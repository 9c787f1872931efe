import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stopping jobs on their nodes. `stopping` names the run a node was told to stop (attempt,
 * node, devices, room, reason) when a job was preempted or cancelled there; its room stays
 * held until the node confirms the stop (or is declared lost), and a requeued job is not
 * placed again before that. A job may declare itself checkpointable, with a grace for a
 * preemption notice: its last checkpoint (what its node reported when it stopped) is kept with
 * it in `checkpoint` / `checkpoint_at` (columns since the first jobs migration) and given to
 * its next run. `launches`: how many times the kernel runs back to back, each
 * launch taking the previous one's outputs; a stop lands between two launches.
 */
export class StopAndCheckpoint1765100000000 implements MigrationInterface {
  name = 'StopAndCheckpoint1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE jobs
        ADD COLUMN stopping jsonb,
        ADD COLUMN checkpointable boolean NOT NULL DEFAULT false,
        ADD COLUMN preemption_grace_ms integer NOT NULL DEFAULT 0
          CHECK (preemption_grace_ms BETWEEN 0 AND 3600000),
        ADD COLUMN launches integer NOT NULL DEFAULT 1 CHECK (launches BETWEEN 1 AND 1000000)`);
    // Few rows are stopping at any time; the scheduler reads them with its active jobs.
    await db.query(`CREATE INDEX jobs_stopping_idx ON jobs (id) WHERE stopping IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX jobs_stopping_idx`);
    await db.query(`
      ALTER TABLE jobs DROP COLUMN stopping, DROP COLUMN checkpointable,
        DROP COLUMN preemption_grace_ms, DROP COLUMN launches`);
  }
}
