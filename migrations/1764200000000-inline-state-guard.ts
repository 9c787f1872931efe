import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The jobs state machine's guard without a query per row. The guard looked each move up in
 * job_state_moves, a lookup through the executor for every row of every state change: about
 * a fifth of a batched placement's or completion's cost in Postgres. The function is now
 * generated from that table, with the allowed moves written into it as a constant list, so
 * it refuses exactly what it refused before. job_state_moves stays the one place the moves
 * are listed: a migration that changes it must generate the guard again (`guardSql`).
 */
export class InlineStateGuard1764200000000 implements MigrationInterface {
  name = 'InlineStateGuard1764200000000';

  async up(db: QueryRunner): Promise<void> {
    const rows = (await db.query(
      `SELECT from_state || '>' || to_state AS move FROM job_state_moves ORDER BY from_state, to_state`,
    )) as { move: string }[];
    await db.query(guardSql(rows.map((row) => row.move)));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION jobs_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.state IS NOT DISTINCT FROM OLD.state THEN
          RETURN NEW;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM job_state_moves WHERE from_state = OLD.state AND to_state = NEW.state) THEN
          RAISE EXCEPTION 'job %: % -> % is not a valid transition', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'check_violation';
        END IF;
        NEW.updated_at := clock_timestamp();
        RETURN NEW;
      END $$`);
  }
}

/** The guard for a list of allowed moves, each written `from>to` (states never hold '>' or quotes). */
export function guardSql(moves: readonly string[]): string {
  for (const move of moves) {
    if (!/^[a-z]+>[a-z]+$/.test(move)) throw new Error(`not a state move: ${move}`);
  }
  const list = moves.map((move) => `'${move}'`).join(', ');
  return `
    CREATE OR REPLACE FUNCTION jobs_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.state IS NOT DISTINCT FROM OLD.state THEN
        RETURN NEW;
      END IF;
      IF NOT (OLD.state || '>' || NEW.state = ANY (ARRAY[${list}])) THEN
        RAISE EXCEPTION 'job %: % -> % is not a valid transition', OLD.id, OLD.state, NEW.state
          USING ERRCODE = 'check_violation';
      END IF;
      NEW.updated_at := clock_timestamp();
      RETURN NEW;
    END $$`;
}
