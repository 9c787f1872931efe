import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, principals, API keys and the append-only, hash-chained audit log. */
export class IdentityAndAudit1763700000000 implements MigrationInterface {
  name = 'IdentityAndAudit1763700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        edition text NOT NULL DEFAULT 'community',
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        quota jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE principals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('user', 'service')),
        name text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
    // NULLS NOT DISTINCT: platform principals (tenant_id NULL) need unique names too.
    await db.query(
      `CREATE UNIQUE INDEX principals_tenant_name ON principals (tenant_id, name) NULLS NOT DISTINCT`,
    );
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        principal_id uuid NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
        prefix text NOT NULL UNIQUE,
        key_hash text NOT NULL,
        label text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_keys_principal ON api_keys (principal_id)`);
    await db.query(`
      CREATE TABLE audit_log (
        seq bigserial PRIMARY KEY,
        chain text NOT NULL,
        chain_seq bigint NOT NULL,
        at timestamptz NOT NULL,
        tenant_id uuid,
        actor_id text,
        actor_type text NOT NULL,
        actor_roles text[] NOT NULL DEFAULT '{}',
        source_ip text,
        request_id text,
        trace_id text,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text,
        outcome text NOT NULL,
        reason text,
        diff jsonb,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        UNIQUE (chain, chain_seq)
      )`);
    await db.query(`CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at)`);
    await db.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % rejected', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP FUNCTION audit_log_append_only()`);
    await db.query(`DROP TABLE api_keys`);
    await db.query(`DROP TABLE principals`);
    await db.query(`DROP TABLE tenants`);
  }
}
