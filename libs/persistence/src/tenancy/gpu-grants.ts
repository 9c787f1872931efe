import type { EntityManager } from 'typeorm';

/** A GPU capability grant as stored (the shape `grantAllows` in @voxelfleet/auth reads). */
export interface GpuGrantRecord {
  id: string;
  principalId: string;
  tenantId: string | null;
  kernels: string[];
  deviceClasses: string[];
  cpuFallback: boolean;
  createdAt: Date;
  createdBy: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

interface GrantRow {
  id: string;
  principal_id: string;
  tenant_id: string | null;
  kernels: string[];
  device_classes: string[];
  cpu_fallback: boolean;
  created_at: Date;
  created_by: string | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

const COLUMNS = `id, principal_id, tenant_id, kernels, device_classes, cpu_fallback, created_at,
  created_by, expires_at, revoked_at, revoked_by`;

/** The principal's grants that are neither revoked nor expired at `now`. */
export async function loadActiveGrants(
  manager: EntityManager,
  principalId: string,
  now: Date = new Date(),
): Promise<GpuGrantRecord[]> {
  const rows: GrantRow[] = await manager.query(
    `SELECT ${COLUMNS} FROM gpu_grants
      WHERE principal_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
      ORDER BY created_at, id`,
    [principalId, now],
  );
  return rows.map(toGrant);
}

export interface GrantFilter {
  /** Required scope: a tenant id, or null for every tenant (platform callers only). */
  tenantId: string | null;
  principalId?: string;
  includeRevoked?: boolean;
}

export async function listGrants(manager: EntityManager, filter: GrantFilter): Promise<GpuGrantRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.tenantId !== null) {
    params.push(filter.tenantId);
    where.push(`tenant_id = $${params.length}`);
  }
  if (filter.principalId !== undefined) {
    params.push(filter.principalId);
    where.push(`principal_id = $${params.length}`);
  }
  if (!filter.includeRevoked) where.push('revoked_at IS NULL');
  const rows: GrantRow[] = await manager.query(
    `SELECT ${COLUMNS} FROM gpu_grants ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at, id LIMIT 1000`,
    params,
  );
  return rows.map(toGrant);
}

export async function findGrant(manager: EntityManager, id: string): Promise<GpuGrantRecord | null> {
  const rows: GrantRow[] = await manager.query(`SELECT ${COLUMNS} FROM gpu_grants WHERE id = $1`, [id]);
  return rows[0] ? toGrant(rows[0]) : null;
}

export interface NewGrant {
  principalId: string;
  tenantId: string | null;
  kernels: string[];
  deviceClasses: string[];
  cpuFallback: boolean;
  expiresAt: Date | null;
  createdBy: string | null;
}

export async function insertGrant(manager: EntityManager, grant: NewGrant): Promise<GpuGrantRecord> {
  const rows: GrantRow[] = await manager.query(
    `INSERT INTO gpu_grants (principal_id, tenant_id, kernels, device_classes, cpu_fallback, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [
      grant.principalId,
      grant.tenantId,
      grant.kernels,
      grant.deviceClasses,
      grant.cpuFallback,
      grant.expiresAt,
      grant.createdBy,
    ],
  );
  return toGrant(rows[0] as GrantRow);
}

/** Revokes a live grant; null when it was already revoked (nothing changes then). */
export async function revokeGrant(
  manager: EntityManager,
  id: string,
  revokedBy: string | null,
): Promise<GpuGrantRecord | null> {
  const rows: [GrantRow[], number] = await manager.query(
    `UPDATE gpu_grants SET revoked_at = now(), revoked_by = $2
      WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
    [id, revokedBy],
  );
  const row = rows[0][0];
  return row ? toGrant(row) : null;
}

function toGrant(row: GrantRow): GpuGrantRecord {
  return {
    id: row.id,
    principalId: row.principal_id,
    tenantId: row.tenant_id,
    kernels: row.kernels,
    deviceClasses: row.device_classes,
    cpuFallback: row.cpu_fallback,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}
