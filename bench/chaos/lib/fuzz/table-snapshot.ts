import type pg from 'pg';

/**
 * Tables a refused request must leave as they were, and what of each row counts. Logs that
 * grow on their own (the audit log records refusals on purpose, heartbeats rewrite `nodes`,
 * the scheduler moves jobs along) are left out or reduced to what a request could add.
 */
const WATCHED: Record<string, string> = {
  tenants: 't::text',
  principals: 't::text',
  // last_used_at moves on every authenticated call.
  api_keys: "t.id::text || t.prefix || coalesce(t.revoked_at::text, '') || coalesce(t.expires_at::text, '')",
  gpu_grants: 't::text',
  kernels: 't::text',
  kernel_signing_keys: 't::text',
  node_controls: 't::text',
  editions: 't::text',
  rigs: 't::text',
  tracking_streams: 't.id::text || t.name || t.rig_id::text || t.state',
  workflows: 't.id::text',
  workflow_edges: 't::text',
  // The scheduler moves jobs along on its own, and the tracker submits a voxel.evidence job
  // per frame-set of a live stream; a refused request must not add any other job.
  jobs: 't.id::text',
};

/** Rows of a table that the background adds on its own are left out of its digest. */
const SOURCE: Record<string, string> = {
  jobs: `(SELECT id FROM jobs WHERE kernel->>'name' <> 'voxel.evidence')`,
};

export type TableSnapshot = Record<string, string>;

export async function snapshotTables(db: pg.Pool, tables = Object.keys(WATCHED)): Promise<TableSnapshot> {
  const parts = tables.map(
    (table) =>
      `SELECT '${table}' AS name, count(*)::text || ':' || coalesce(md5(string_agg(${WATCHED[table] ?? 't::text'}, ',' ORDER BY ${WATCHED[table] ?? 't::text'})), '') AS digest FROM ${SOURCE[table] ?? table} t`,
  );
  const { rows } = await db.query<{ name: string; digest: string }>(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((row) => [row.name, row.digest]));
}

/** Names of the tables whose digest differs between two snapshots. */
export function changedTables(before: TableSnapshot, after: TableSnapshot): string[] {
  return Object.keys(before).filter((table) => before[table] !== after[table]);
}
