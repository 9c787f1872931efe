import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where on Earth: a rig may carry a georeference (WGS84 origin and local frame orientation),
 * and a stream may send its tracks as Cursor-on-Target events to a TAK server address. Both
 * are optional, so existing rows stay as they are (NULL: local metres only, no CoT).
 */
export class GeoOutputs1764500000000 implements MigrationInterface {
  name = 'GeoOutputs1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE rigs ADD COLUMN georeference jsonb`);
    await db.query(`ALTER TABLE tracking_streams ADD COLUMN cot_output jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tracking_streams DROP COLUMN cot_output`);
    await db.query(`ALTER TABLE rigs DROP COLUMN georeference`);
  }
}
