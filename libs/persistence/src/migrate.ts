import type { DataSource, QueryRunner } from 'typeorm';

/** Any fixed 64-bit key works; every process that migrates must use the same one. */
const MIGRATION_LOCK_KEY = 0x766f78656c; // "voxel"

/**
 * Runs pending migrations while holding a Postgres advisory lock, so several processes that
 * start at once migrate exactly once: the first runs them, the others wait and find none left.
 */
export async function migrateWithLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** Reverts the most recent migration, under the same lock. Returns false when none was applied. */
export async function revertLastMigration(dataSource: DataSource): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      if (!(await hasAppliedMigrations(runner))) return false;
      await dataSource.undoLastMigration({ transaction: 'each' });
      return true;
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

async function hasAppliedMigrations(runner: QueryRunner): Promise<boolean> {
  const rows = (await runner.query(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AND EXISTS (SELECT 1 FROM schema_migrations) AS applied`,
  )) as { applied: boolean }[];
  return rows[0]?.applied === true;
}
