import type { EntityManager } from 'typeorm';

export type NodeControlState = 'cordoned' | 'draining' | 'ready';

/** An operator's admin state for a node (`node_controls`); the scheduler places nothing new on a
 * cordoned or draining node. */
export interface NodeControlRecord {
  nodeId: string;
  state: NodeControlState;
  reason: string | null;
  updatedAt: Date;
  updatedBy: string | null;
}

interface NodeControlRow {
  node_id: string;
  state: NodeControlState;
  reason: string | null;
  updated_at: Date;
  updated_by: string | null;
}

export async function loadNodeControls(
  manager: EntityManager,
  nodeIds?: readonly string[],
): Promise<NodeControlRecord[]> {
  const rows: NodeControlRow[] = await manager.query(
    `SELECT node_id, state, reason, updated_at, updated_by FROM node_controls
      ${nodeIds === undefined ? '' : 'WHERE node_id = ANY($1::text[])'} ORDER BY node_id`,
    nodeIds === undefined ? [] : [nodeIds],
  );
  return rows.map(toRecord);
}

/** Sets a node's admin state, returning the previous record (null when there was none). */
export async function setNodeControl(
  manager: EntityManager,
  change: { nodeId: string; state: NodeControlState; reason: string | null; updatedBy: string | null },
): Promise<{ before: NodeControlRecord | null; after: NodeControlRecord }> {
  // FOR UPDATE serialises two operators acting on the same node, so `before` is exact.
  const previous: NodeControlRow[] = await manager.query(
    `SELECT node_id, state, reason, updated_at, updated_by FROM node_controls WHERE node_id = $1 FOR UPDATE`,
    [change.nodeId],
  );
  const rows: NodeControlRow[] = await manager.query(
    `INSERT INTO node_controls (node_id, state, reason, updated_at, updated_by)
     VALUES ($1, $2, $3, now(), $4)
     ON CONFLICT (node_id) DO UPDATE
       SET state = EXCLUDED.state, reason = EXCLUDED.reason, updated_at = now(), updated_by = EXCLUDED.updated_by
     RETURNING node_id, state, reason, updated_at, updated_by`,
    [change.nodeId, change.state, change.reason, change.updatedBy],
  );
  return { before: previous[0] ? toRecord(previous[0]) : null, after: toRecord(rows[0] as NodeControlRow) };
}

function toRecord(row: NodeControlRow): NodeControlRecord {
  return {
    nodeId: row.node_id,
    state: row.state,
    reason: row.reason,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}
