import { loadConfigOrExit, postgresUrl } from '@voxelfleet/config';
import { z } from 'zod';
import { createDataSource } from '../data-source.js';
import { migrateWithLock, revertLastMigration } from '../migrate.js';

/** `migrate.js run|revert`: the migration step for deployments (compose runs it once). */
const command = process.argv[2];
if (command !== 'run' && command !== 'revert') {
  process.stderr.write('usage: migrate.js run|revert\n');
  process.exit(64);
}
const config = loadConfigOrExit(z.object({ DATABASE_URL: postgresUrl }));
const dataSource = createDataSource({
  url: config.DATABASE_URL,
  poolSize: 2,
  applicationName: 'voxelfleet-migrate',
  statementTimeoutMs: 0,
});
try {
  await dataSource.initialize();
  if (command === 'run') {
    const applied = await migrateWithLock(dataSource);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
  } else {
    const reverted = await revertLastMigration(dataSource);
    process.stdout.write(reverted ? 'reverted the latest migration\n' : 'no migration to revert\n');
  }
} catch (error) {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
}
