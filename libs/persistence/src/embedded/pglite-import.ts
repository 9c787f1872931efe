import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { EmbeddedPostgresLog } from './postgres-process.js';

/** Left in the PGlite folder once its rows are in the server's cluster, so they are copied once. */
const IMPORTED_MARKER = 'IMPORTED-INTO-POSTGRES';

/** Whether `dataDir` holds a PGlite database (earlier releases' default) not yet copied over. */
export function pendingPgliteData(dataDir: string): string | undefined {
  const pgliteDir = join(dataDir, 'pglite');
  return existsSync(join(pgliteDir, 'PG_VERSION')) && !existsSync(join(pgliteDir, IMPORTED_MARKER))
    ? pgliteDir
    : undefined;
}

/**
 * Copies every row of an earlier release's PGlite database into the migrated database at
 * `targetUrl`, table by table. Postgres itself writes each row as JSON (`row_to_json`) and reads
 * it back into the target table's types (`json_populate_recordset`), so every value crosses as
 * Postgres's own text form; only columns both sides have are copied, so a target migrated further
 * keeps its defaults for new ones. Triggers (the audit log's append-only guard, the jobs' state
 * machine) and foreign keys stay quiet for the copy (`session_replication_role = replica`), which
 * is one transaction: all rows or none. Serial counters then continue after the copied rows.
 * The PGlite folder is left as it was, with a marker.
 */
export async function importPgliteData(
  pgliteDir: string,
  targetUrl: string,
  log: EmbeddedPostgresLog,
): Promise<{ tables: number; rows: number } | undefined> {
  const target = new pg.Client({ connectionString: targetUrl });
  await target.connect();
  // Only into a cluster nobody has used yet: never over rows written since.
  const used = await target.query<{ used: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM tenants) OR EXISTS (SELECT 1 FROM principals) AS used',
  );
  if (used.rows[0]?.used) {
    await target.end();
    log.warn(`not copying the PGlite database in ${pgliteDir}: the Postgres cluster already holds data`);
    return undefined;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const source = await PGlite.create(pgliteDir);
  let rows = 0;
  let tables = 0;
  try {
    const sourceColumns = await columnsByTable((sql) => source.query<{ table: string; column: string }>(sql));
    const targetColumns = await columnsByTable((sql) => target.query<{ table: string; column: string }>(sql));
    const copies: { table: string; list: string; found: string[] }[] = [];
    for (const [table, columns] of sourceColumns) {
      if (table === 'schema_migrations') continue; // the target's own migrations are the truth
      const shared = columns.filter((column) => targetColumns.get(table)?.includes(column));
      if (shared.length === 0) continue;
      const list = shared.map((column) => `"${column}"`).join(', ');
      const { rows: found } = await source.query<{ row: string }>(
        `SELECT row_to_json(source_row)::text AS row FROM (SELECT ${list} FROM public."${table}") source_row`,
      );
      if (found.length > 0) copies.push({ table, list, found: found.map((r) => r.row) });
    }
    await target.query('BEGIN');
    await target.query('SET LOCAL session_replication_role = replica');
    // Rows the target's migrations seeded (editions) give way to the source's, all at once, so
    // no table copied earlier is emptied by a later cascade.
    if (copies.length > 0)
      await target.query(`TRUNCATE ${copies.map((copy) => `public."${copy.table}"`).join(', ')} CASCADE`);
    for (const { table, list, found } of copies) {
      for (let start = 0; start < found.length; start += 1_000) {
        await target.query(
          `INSERT INTO public."${table}" (${list}) OVERRIDING SYSTEM VALUE
           SELECT ${list} FROM json_populate_recordset(NULL::public."${table}", $1::json)`,
          [`[${found.slice(start, start + 1_000).join(',')}]`],
        );
      }
      rows += found.length;
      tables += 1;
    }
    await resetSerialCounters(target);
    await target.query('COMMIT');
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await target.end();
    await source.close();
  }
  writeFileSync(join(pgliteDir, IMPORTED_MARKER), `${new Date().toISOString()}\n`);
  log.info(`copied ${rows} rows of ${tables} tables from the PGlite database in ${pgliteDir}`);
  return { tables, rows };
}

async function columnsByTable(
  query: (sql: string) => Promise<{ rows: { table: string; column: string }[] }>,
): Promise<Map<string, string[]>> {
  const { rows } = await query(
    `SELECT c.table_name AS table, c.column_name AS column
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const { table, column } of rows) byTable.set(table, [...(byTable.get(table) ?? []), column]);
  return byTable;
}

async function resetSerialCounters(target: pg.Client): Promise<void> {
  const { rows } = await target.query<{ table: string; column: string; sequence: string }>(
    `SELECT c.table_name AS table, c.column_name AS column,
            pg_get_serial_sequence(format('public.%I', c.table_name), c.column_name) AS sequence
       FROM information_schema.columns c
      WHERE c.table_schema = 'public'
        AND pg_get_serial_sequence(format('public.%I', c.table_name), c.column_name) IS NOT NULL`,
  );
  for (const { table, column, sequence } of rows) {
    await target.query(
      `SELECT setval($1, COALESCE((SELECT max("${column}") FROM public."${table}"), 0) + 1, false)`,
      [sequence],
    );
  }
}
