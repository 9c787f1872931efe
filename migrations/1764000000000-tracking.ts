import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Camera rigs, tracking streams and track history. Track points are written in batches by the
 * tracker (one multi-row insert per flush), never one statement per message; the indexes
 * serve the history reads: a stream's time range, optionally one track.
 */
export class Tracking1764000000000 implements MigrationInterface {
  name = 'Tracking1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rigs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        cameras jsonb NOT NULL,
        source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'original-metadata')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        UNIQUE (tenant_id, name)
      )`);
    await db.query(`
      CREATE TABLE tracking_streams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        rig_id uuid NOT NULL REFERENCES rigs(id) ON DELETE RESTRICT,
        name text NOT NULL,
        grid jsonb NOT NULL,
        parameters jsonb NOT NULL,
        state text NOT NULL DEFAULT 'created'
          CHECK (state IN ('created', 'running', 'paused', 'stopped')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        stopped_at timestamptz,
        created_by text,
        UNIQUE (tenant_id, name)
      )`);
    await db.query(`CREATE INDEX tracking_streams_rig ON tracking_streams (rig_id)`);
    // Active streams per tenant: what the stream quota counts.
    await db.query(
      `CREATE INDEX tracking_streams_active ON tracking_streams (tenant_id) WHERE state IN ('running', 'paused')`,
    );
    await db.query(`
      CREATE TABLE track_points (
        id bigserial PRIMARY KEY,
        stream_id uuid NOT NULL REFERENCES tracking_streams(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        track_id integer NOT NULL,
        frame_seq bigint NOT NULL,
        t double precision NOT NULL,
        state text NOT NULL,
        x double precision NOT NULL,
        y double precision NOT NULL,
        z double precision NOT NULL,
        vx double precision NOT NULL,
        vy double precision NOT NULL,
        vz double precision NOT NULL,
        covariance double precision[] NOT NULL,
        confidence double precision NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX track_points_stream_t ON track_points (stream_id, t)`);
    await db.query(`CREATE INDEX track_points_stream_track_t ON track_points (stream_id, track_id, t)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE track_points`);
    await db.query(`DROP TABLE tracking_streams`);
    await db.query(`DROP TABLE rigs`);
  }
}
