import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transitions trigger plans its query for each statement, with that statement's row
 * counts. Written as static SQL, PL/pgSQL parses it once per connection, and the parse keeps
 * the sizes of the transition tables it first saw (every later plan, even a custom one,
 * estimates from them): a pooled connection whose first statements changed a handful of jobs
 * joined a later pass's 4,000 old and new rows in a nested loop, 16 million comparisons and
 * about a second per pass, where a hash join takes milliseconds. EXECUTE parses and plans each
 * time; that costs well under a millisecond once per statement, not per row.
 */
export class HistoryTriggersPlanPerStatement1764300000000 implements MigrationInterface {
  name = 'HistoryTriggersPlanPerStatement1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION jobs_record_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        EXECUTE $sql$${RECORD_TRANSITIONS}$sql$;
        RETURN NULL;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION jobs_record_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${RECORD_TRANSITIONS};
        RETURN NULL;
      END $$`);
  }
}

/** A statement's moves, from its transition tables; admission and placement in one statement leave both. */
const RECORD_TRANSITIONS = `
        INSERT INTO job_transitions (job_id, from_state, to_state, at, reason, node_id, attempt)
        SELECT job_id, from_state, to_state, at, reason, node_id, attempt FROM (
          SELECT n.id AS job_id, o.state AS from_state, 'admitted' AS to_state, n.updated_at AS at,
                 'admitted: within quota' AS reason, NULL::text AS node_id, n.attempt, 0 AS step
            FROM new_rows n JOIN old_rows o ON o.id = n.id
           WHERE n.state = 'placed' AND o.state IN ('submitted', 'requeued')
          UNION ALL
          SELECT n.id,
                 CASE WHEN n.state = 'placed' AND o.state IN ('submitted', 'requeued') THEN 'admitted' ELSE o.state END,
                 n.state, n.updated_at, n.state_reason, n.node_id, n.attempt, 1
            FROM new_rows n JOIN old_rows o ON o.id = n.id
           WHERE n.state IS DISTINCT FROM o.state
        ) moves
        ORDER BY job_id, step`;
