import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kernel jobs and their state machine, workflows (DAGs), the fleet's nodes as the scheduler
 * records them, and the scheduling decision log.
 *
 * Every job state change goes through a trigger that refuses a move the state machine does
 * not allow and appends the move (time, reason, node, attempt) to job_transitions, so a
 * batched UPDATE of many jobs leaves the same history as one-by-one updates would.
 */
export class JobsAndScheduling1763900000000 implements MigrationInterface {
  name = 'JobsAndScheduling1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE workflows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL DEFAULT '',
        state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
        reason text,
        critical_path text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX workflows_tenant ON workflows (tenant_id, created_at DESC)`);

    await db.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        workflow_id uuid REFERENCES workflows(id) ON DELETE CASCADE,
        step text,
        state text NOT NULL DEFAULT 'submitted' CHECK (state IN (
          'waiting', 'submitted', 'admitted', 'placed', 'running', 'succeeded', 'failed',
          'cancelled', 'expired', 'preempted', 'requeued', 'skipped')),
        state_reason text NOT NULL DEFAULT 'submitted',
        kernel jsonb NOT NULL,
        inputs jsonb NOT NULL DEFAULT '{}'::jsonb,
        vram_bytes bigint NOT NULL DEFAULT 0 CHECK (vram_bytes >= 0),
        gpus integer NOT NULL DEFAULT 1 CHECK (gpus >= 0),
        priority text NOT NULL CHECK (priority IN ('realtime', 'high', 'normal', 'low', 'background')),
        boost integer NOT NULL DEFAULT 0,
        deadline_at timestamptz,
        estimated_duration_ms integer,
        timeout_ms integer NOT NULL DEFAULT 600000,
        preemptible boolean NOT NULL DEFAULT false,
        affinity jsonb,
        cpu_fallback_allowed boolean NOT NULL DEFAULT false,
        max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
        attempt integer NOT NULL DEFAULT 0,
        not_before timestamptz,
        node_id text,
        device_ids text[] NOT NULL DEFAULT '{}',
        placement jsonb,
        pending jsonb,
        checkpoint jsonb,
        checkpoint_at timestamptz,
        output jsonb,
        error jsonb,
        submitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        placed_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    // The scheduler's queue: jobs not yet placed, and the work placed on each node.
    await db.query(
      `CREATE INDEX jobs_queue ON jobs (submitted_at) WHERE state IN ('submitted', 'admitted', 'requeued')`,
    );
    await db.query(`CREATE INDEX jobs_on_node ON jobs (node_id) WHERE state IN ('placed', 'running')`);
    await db.query(`CREATE INDEX jobs_tenant ON jobs (tenant_id, submitted_at DESC)`);
    // Rate window, daily GPU-second budget and per-node history read recent rows by time.
    await db.query(`CREATE INDEX jobs_placed_at ON jobs (placed_at) WHERE placed_at IS NOT NULL`);
    await db.query(`CREATE INDEX jobs_finished_at ON jobs (finished_at) WHERE finished_at IS NOT NULL`);
    await db.query(`CREATE INDEX jobs_workflow ON jobs (workflow_id) WHERE workflow_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE job_transitions (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        from_state text,
        to_state text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        reason text NOT NULL,
        node_id text,
        attempt integer NOT NULL
      )`);
    await db.query(`CREATE INDEX job_transitions_job ON job_transitions (job_id, id)`);

    await db.query(`
      CREATE TABLE job_state_moves (
        from_state text NOT NULL,
        to_state text NOT NULL,
        PRIMARY KEY (from_state, to_state)
      )`);
    await db.query(`
      INSERT INTO job_state_moves (from_state, to_state) VALUES
        ('waiting', 'submitted'), ('waiting', 'skipped'), ('waiting', 'cancelled'),
        ('submitted', 'admitted'), ('submitted', 'placed'), ('submitted', 'failed'),
        ('submitted', 'cancelled'), ('submitted', 'expired'),
        ('admitted', 'placed'), ('admitted', 'submitted'), ('admitted', 'failed'),
        ('admitted', 'cancelled'), ('admitted', 'expired'),
        ('placed', 'running'), ('placed', 'succeeded'), ('placed', 'failed'), ('placed', 'requeued'),
        ('placed', 'preempted'), ('placed', 'cancelled'), ('placed', 'expired'),
        ('running', 'succeeded'), ('running', 'failed'), ('running', 'requeued'),
        ('running', 'preempted'), ('running', 'cancelled'), ('running', 'expired'),
        ('preempted', 'requeued'),
        ('requeued', 'admitted'), ('requeued', 'placed'), ('requeued', 'failed'),
        ('requeued', 'cancelled'), ('requeued', 'expired'), ('requeued', 'submitted')`);

    // A move the state machine does not allow is refused before the row changes.
    await db.query(`
      CREATE FUNCTION jobs_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await db.query(`
      CREATE TRIGGER jobs_state_machine BEFORE UPDATE OF state ON jobs
      FOR EACH ROW EXECUTE FUNCTION jobs_guard_transition()`);
    // The history is written once per statement from its transition tables, so a pass that
    // places a thousand jobs appends their moves in one insert. Admission and placement in
    // one pass still leave both steps.
    await db.query(`
      CREATE FUNCTION jobs_record_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
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
        ORDER BY job_id, step;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER jobs_transitions AFTER UPDATE ON jobs
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION jobs_record_transitions()`);
    // The first transition, after the rows exist (job_transitions references them).
    await db.query(`
      CREATE FUNCTION jobs_record_submission() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM new_rows WHERE state NOT IN ('submitted', 'waiting')) THEN
          RAISE EXCEPTION 'a job must start submitted or waiting' USING ERRCODE = 'check_violation';
        END IF;
        INSERT INTO job_transitions (job_id, from_state, to_state, at, reason, attempt)
        SELECT id, NULL, state, submitted_at, state_reason, attempt FROM new_rows;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER jobs_submission AFTER INSERT ON jobs
      REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION jobs_record_submission()`);

    await db.query(`
      CREATE TABLE workflow_edges (
        workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
        parent_job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        child_job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        on_failure text NOT NULL DEFAULT 'fail-workflow'
          CHECK (on_failure IN ('fail-workflow', 'skip-dependents', 'continue')),
        PRIMARY KEY (parent_job_id, child_job_id)
      )`);
    await db.query(`CREATE INDEX workflow_edges_workflow ON workflow_edges (workflow_id)`);

    await db.query(`
      CREATE TABLE nodes (
        id text PRIMARY KEY,
        hostname text NOT NULL,
        state text NOT NULL CHECK (state IN ('ready', 'draining', 'cordoned', 'lost')),
        reported_state text NOT NULL,
        last_heartbeat_at timestamptz NOT NULL,
        heartbeat jsonb NOT NULL,
        breaker jsonb,
        registered_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE scheduling_decisions (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        pass_digest text NOT NULL,
        position integer NOT NULL,
        kind text NOT NULL,
        job_id uuid,
        tenant_id uuid,
        seed text NOT NULL,
        inputs_digest text NOT NULL,
        choice jsonb NOT NULL,
        reason text NOT NULL,
        leader text NOT NULL
      )`);
    await db.query(`CREATE INDEX scheduling_decisions_job ON scheduling_decisions (job_id, id)`);
    await db.query(`CREATE INDEX scheduling_decisions_pass ON scheduling_decisions (pass_digest, position)`);

    // A recorded trace: the exact inputs of a pass, kept when the scheduler records traces, so
    // the pass can be replayed and compared with its decisions.
    await db.query(`
      CREATE TABLE scheduling_passes (
        pass_digest text PRIMARY KEY,
        at timestamptz NOT NULL,
        snapshot jsonb NOT NULL,
        queue jsonb NOT NULL,
        options jsonb NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE scheduling_passes`);
    await db.query(`DROP TABLE scheduling_decisions`);
    await db.query(`DROP TABLE nodes`);
    await db.query(`DROP TABLE workflow_edges`);
    await db.query(`DROP TRIGGER jobs_submission ON jobs`);
    await db.query(`DROP FUNCTION jobs_record_submission()`);
    await db.query(`DROP TRIGGER jobs_transitions ON jobs`);
    await db.query(`DROP FUNCTION jobs_record_transitions()`);
    await db.query(`DROP TRIGGER jobs_state_machine ON jobs`);
    await db.query(`DROP FUNCTION jobs_guard_transition()`);
    await db.query(`DROP TABLE job_state_moves`);
    await db.query(`DROP TABLE job_transitions`);
    await db.query(`DROP TABLE jobs`);
    await db.query(`DROP TABLE workflows`);
  }
}
