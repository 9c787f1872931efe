import type { EntityManager } from 'typeorm';
import { scopeCondition, type TenantScope } from './tenant-scope.js';

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

export interface NewGrant {
  principalId: string;
  /** The principal's tenant (null: a platform principal). */
  tenantId: string | null;
  kernels: string[];
  deviceClasses: string[];
  cpuFallback: boolean;
  expiresAt: Date | null;
  createdBy: string | null;
}

/** GPU capability grants as the gateway gives, lists and revokes them. */
export interface GrantStore {
  /** The first 1000 in the scope, oldest first; live ones only unless includeRevoked. */
  list(
    scope: TenantScope,
    filter?: { principalId?: string; includeRevoked?: boolean },
  ): Promise<GpuGrantRecord[]>;
  find(scope: TenantScope, id: string): Promise<GpuGrantRecord | null>;
  insert(grant: NewGrant): Promise<GpuGrantRecord>;
  /** Revokes a live grant; null when there is none in the scope or it was already revoked. */
  revoke(scope: TenantScope, id: string, revokedBy: string | null): Promise<GpuGrantRecord | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The GrantStore on Postgres, within `db` (a transaction's manager, or the data source's). */
export function grantStore(db: EntityManager): GrantStore {
  return {
    async list(scope, filter = {}) {
      const [condition, params] = scopeCondition(scope, 'tenant_id', 1);
      const where = [condition];
      if (filter.principalId !== undefined) {
        params.push(filter.principalId);
        where.push(`principal_id = $${params.length}`);
      }
      if (!filter.includeRevoked) where.push('revoked_at IS NULL');
      const rows: GrantRow[] = await db.query(
        `SELECT ${COLUMNS} FROM gpu_grants WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT 1000`,
        params,
      );
      return rows.map(toGrant);
    },

    async find(scope, id) {
      if (!UUID.test(id)) return null;
      const [condition, params] = scopeCondition(scope, 'tenant_id', 2);
      const rows: GrantRow[] = await db.query(
        `SELECT ${COLUMNS} FROM gpu_grants WHERE id = $1 AND ${condition}`,
        [id, ...params],
      );
      return rows[0] ? toGrant(rows[0]) : null;
    },

    async insert(grant) {
      const rows: GrantRow[] = await db.query(
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
    },

    async revoke(scope, id, revokedBy) {
      if (!UUID.test(id)) return null;
      const [condition, params] = scopeCondition(scope, 'tenant_id', 3);
      const [rows]: [GrantRow[], number] = await db.query(
        `UPDATE gpu_grants SET revoked_at = now(), revoked_by = $2
          WHERE id = $1 AND revoked_at IS NULL AND ${condition} RETURNING ${COLUMNS}`,
        [id, revokedBy, ...params],
      );
      return rows[0] ? toGrant(rows[0]) : null;
    },
  };
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
