import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Borrowing between tenants. Tenants with the same `cohort` lend each other the quota they
 * leave unused; `borrowing_limit` caps, per borrowable quota (vramBytesTotal, gpus,
 * concurrentJobs), how far beyond its own limit a tenant may go on loans. Whether a running
 * job borrowed is kept in its placement (`jobs.placement->'borrowing'`), so no jobs column.
 */
export class TenantCohorts1765200000000 implements MigrationInterface {
  name = 'TenantCohorts1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE tenants
        ADD COLUMN cohort text CHECK (cohort ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
        ADD COLUMN borrowing_limit jsonb NOT NULL DEFAULT '{}'::jsonb
          CHECK (jsonb_typeof(borrowing_limit) = 'object')`);
    await db.query(`CREATE INDEX tenants_cohort_idx ON tenants (cohort) WHERE cohort IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX tenants_cohort_idx`);
    await db.query(`ALTER TABLE tenants DROP COLUMN cohort, DROP COLUMN borrowing_limit`);
  }
}
