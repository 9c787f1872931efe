import type { StoredStreamParameters, TrackingStreamState } from '@voxelfleet/persistence';
import type { VoxelGridDescriptor } from '@voxelfleet/voxel';
import type { EntityManager } from 'typeorm';
import { updatedRows } from '../common/update-rows.js';
import type { CotOutput } from './cot-output.dto.js';

export interface StreamRecord {
  id: string;
  tenantId: string;
  rigId: string;
  name: string;
  grid: VoxelGridDescriptor;
  parameters: StoredStreamParameters;
  /** Where its tracks go as Cursor-on-Target events; null when nowhere. */
  cotOutput: CotOutput | null;
  state: TrackingStreamState;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  stoppedAt: Date | null;
}

interface StreamRow {
  id: string;
  tenant_id: string;
  rig_id: string;
  name: string;
  grid: VoxelGridDescriptor;
  parameters: StoredStreamParameters;
  cot_output: CotOutput | null;
  state: TrackingStreamState;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  stopped_at: Date | null;
}

const COLUMNS =
  'id, tenant_id, rig_id, name, grid, parameters, cot_output, state, created_at, updated_at, started_at, stopped_at';

function toRecord(row: StreamRow): StreamRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    rigId: row.rig_id,
    name: row.name,
    grid: row.grid,
    parameters: row.parameters,
    cotOutput: row.cot_output,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    stoppedAt: row.stopped_at,
  };
}

export const streamsRepository = {
  async insert(
    manager: EntityManager,
    stream: {
      tenantId: string;
      rigId: string;
      name: string;
      grid: VoxelGridDescriptor;
      parameters: StoredStreamParameters;
      cotOutput: CotOutput | null;
      createdBy: string;
    },
  ): Promise<StreamRecord> {
    const rows: StreamRow[] = await manager.query(
      `INSERT INTO tracking_streams (tenant_id, rig_id, name, grid, parameters, cot_output, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        stream.tenantId,
        stream.rigId,
        stream.name,
        JSON.stringify(stream.grid),
        JSON.stringify(stream.parameters),
        stream.cotOutput ? JSON.stringify(stream.cotOutput) : null,
        stream.createdBy,
      ],
    );
    return toRecord(rows[0]!);
  },

  async find(manager: EntityManager, id: string, lock = false): Promise<StreamRecord | null> {
    const rows: StreamRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM tracking_streams WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  async list(manager: EntityManager, tenantId: string | null): Promise<StreamRecord[]> {
    const rows: StreamRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM tracking_streams WHERE ($1::uuid IS NULL OR tenant_id = $1) ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(toRecord);
  },

  async update(
    manager: EntityManager,
    id: string,
    change: { name?: string; parameters?: StoredStreamParameters; cotOutput?: CotOutput | null },
  ): Promise<StreamRecord> {
    // $4 says whether to set the CoT output at all, so that null can remove it.
    const rows = updatedRows<StreamRow>(
      await manager.query(
        `UPDATE tracking_streams SET name = COALESCE($2, name), parameters = COALESCE($3::jsonb, parameters),
              cot_output = CASE WHEN $4::boolean THEN $5::jsonb ELSE cot_output END, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          change.name ?? null,
          change.parameters ? JSON.stringify(change.parameters) : null,
          change.cotOutput !== undefined,
          change.cotOutput ? JSON.stringify(change.cotOutput) : null,
        ],
      ),
    );
    return toRecord(rows[0]!);
  },

  /** Moves the state only from one of `from` (a guarded update); null when it was not there. */
  async transition(
    manager: EntityManager,
    id: string,
    from: readonly TrackingStreamState[],
    to: TrackingStreamState,
  ): Promise<StreamRecord | null> {
    const rows = updatedRows<StreamRow>(
      await manager.query(
        `UPDATE tracking_streams
          SET state = $3, updated_at = now(),
              started_at = CASE WHEN $3 = 'running' AND started_at IS NULL THEN now() ELSE started_at END,
              stopped_at = CASE WHEN $3 = 'stopped' THEN now() ELSE stopped_at END
        WHERE id = $1 AND state = ANY($2::text[]) RETURNING ${COLUMNS}`,
        [id, from, to],
      ),
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** Streams of a tenant holding a quota slot (running or paused), other than `exceptId`. */
  async countActive(manager: EntityManager, tenantId: string, exceptId: string): Promise<number> {
    const rows: { n: number }[] = await manager.query(
      `SELECT count(*)::int AS n FROM tracking_streams
        WHERE tenant_id = $1 AND state IN ('running', 'paused') AND id <> $2`,
      [tenantId, exceptId],
    );
    return rows[0]?.n ?? 0;
  },

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM tracking_streams WHERE id = $1`, [id]);
  },
};
