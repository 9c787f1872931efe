import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job history at a lower write cost. Every job leaves four or more job_transitions rows, all
 * written by the jobs table's own triggers from rows that exist, so:
 * - the foreign key to jobs (a lookup of the job, with a row lock, for each history row) gives
 *   way to a statement trigger that removes the history of deleted jobs, as ON DELETE CASCADE
 *   did (tenant deletion cascades to jobs, and so on to their history);
 * - the primary key becomes (job_id, id), the one index every read of the history uses (a
 *   job's moves in order), instead of a key on id alone beside a second index on (job_id, id).
 */
export class LeanJobHistory1764100000000 implements MigrationInterface {
  name = 'LeanJobHistory1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE job_transitions DROP CONSTRAINT job_transitions_job_id_fkey`);
    await db.query(`ALTER TABLE job_transitions DROP CONSTRAINT job_transitions_pkey`);
    await db.query(`DROP INDEX job_transitions_job`);
    await db.query(`ALTER TABLE job_transitions ADD PRIMARY KEY (job_id, id)`);
    await db.query(`
      CREATE FUNCTION jobs_forget_history() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM job_transitions t USING old_rows o WHERE t.job_id = o.id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER jobs_history_cascade AFTER DELETE ON jobs
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION jobs_forget_history()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER jobs_history_cascade ON jobs`);
    await db.query(`DROP FUNCTION jobs_forget_history()`);
    await db.query(`ALTER TABLE job_transitions DROP CONSTRAINT job_transitions_pkey`);
    await db.query(`ALTER TABLE job_transitions ADD PRIMARY KEY (id)`);
    await db.query(`CREATE INDEX job_transitions_job ON job_transitions (job_id, id)`);
    await db.query(
      `DELETE FROM job_transitions t WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = t.job_id)`,
    );
    await db.query(
      `ALTER TABLE job_transitions ADD CONSTRAINT job_transitions_job_id_fkey
         FOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE CASCADE`,
    );
  }
}
