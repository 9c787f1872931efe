import type { StoredRigCamera } from '@voxelfleet/persistence';
import type { Georeference } from '@voxelfleet/voxel';
import type { EntityManager } from 'typeorm';
import { updatedRows } from '../common/update-rows.js';

export interface RigRecord {
  id: string;
  tenantId: string;
  name: string;
  cameras: StoredRigCamera[];
  source: 'api' | 'original-metadata';
  /** Null: the rig speaks local metres only. */
  georeference: Georeference | null;
  createdAt: Date;
  updatedAt: Date;
}

interface RigRow {
  id: string;
  tenant_id: string;
  name: string;
  cameras: StoredRigCamera[];
  source: 'api' | 'original-metadata';
  georeference: Georeference | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, tenant_id, name, cameras, source, georeference, created_at, updated_at';

function toRecord(row: RigRow): RigRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    cameras: row.cameras,
    source: row.source,
    georeference: row.georeference,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Rig rows. Reads by id return the owner so the caller can check tenant scope. */
export const rigsRepository = {
  async insert(
    manager: EntityManager,
    rig: {
      tenantId: string;
      name: string;
      cameras: StoredRigCamera[];
      source: RigRecord['source'];
      georeference: Georeference | null;
      createdBy: string;
    },
  ): Promise<RigRecord> {
    const rows: RigRow[] = await manager.query(
      `INSERT INTO rigs (tenant_id, name, cameras, source, georeference, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        rig.tenantId,
        rig.name,
        JSON.stringify(rig.cameras),
        rig.source,
        rig.georeference ? JSON.stringify(rig.georeference) : null,
        rig.createdBy,
      ],
    );
    return toRecord(rows[0]!);
  },

  async find(manager: EntityManager, id: string, lock = false): Promise<RigRecord | null> {
    const rows: RigRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM rigs WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** One tenant's rigs, or every tenant's for platform callers (tenantId null). */
  async list(manager: EntityManager, tenantId: string | null): Promise<RigRecord[]> {
    const rows: RigRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM rigs WHERE ($1::uuid IS NULL OR tenant_id = $1) ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(toRecord);
  },

  async update(
    manager: EntityManager,
    id: string,
    change: { name?: string; cameras?: StoredRigCamera[]; georeference?: Georeference | null },
  ): Promise<RigRecord> {
    // $4 says whether to set the georeference at all, so that null can remove it.
    const rows = updatedRows<RigRow>(
      await manager.query(
        `UPDATE rigs SET name = COALESCE($2, name), cameras = COALESCE($3::jsonb, cameras),
                georeference = CASE WHEN $4::boolean THEN $5::jsonb ELSE georeference END, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          change.name ?? null,
          change.cameras ? JSON.stringify(change.cameras) : null,
          change.georeference !== undefined,
          change.georeference ? JSON.stringify(change.georeference) : null,
        ],
      ),
    );
    return toRecord(rows[0]!);
  },

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM rigs WHERE id = $1`, [id]);
  },

  async countStreams(manager: EntityManager, rigId: string): Promise<number> {
    const rows: { n: number }[] = await manager.query(
      `SELECT count(*)::int AS n FROM tracking_streams WHERE rig_id = $1`,
      [rigId],
    );
    return rows[0]?.n ?? 0;
  },
};
