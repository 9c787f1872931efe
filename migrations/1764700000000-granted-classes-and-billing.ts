import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grants enforced at placement: a job records the device classes its principal's grants
 * allowed for its kernel when it was submitted (NULL: nothing narrows it, as for platform
 * callers and for jobs written before this column). Chargeback: one price sheet, per device
 * class per GPU-second and per CPU-fallback second, set by platform admins.
 */
export class GrantedClassesAndBilling1764700000000 implements MigrationInterface {
  name = 'GrantedClassesAndBilling1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs ADD COLUMN granted_device_classes jsonb`);
    await db.query(`
      CREATE TABLE billing_prices (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        currency text NOT NULL,
        device_classes jsonb NOT NULL,
        cpu_fallback_per_second numeric NOT NULL CHECK (cpu_fallback_per_second >= 0),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by uuid
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE billing_prices`);
    await db.query(`ALTER TABLE jobs DROP COLUMN granted_device_classes`);
  }
}
