import type { EntityManager } from 'typeorm';
import { scopeCondition, type TenantScope } from './tenant-scope.js';

export interface PrincipalRecord {
  id: string;
  /** null for platform principals. */
  tenantId: string | null;
  kind: 'user' | 'service';
  name: string;
  roles: string[];
  createdAt: Date;
  disabledAt: Date | null;
}

/** An API key as listed: never its hash. */
export interface ApiKeyRecord {
  id: string;
  principalId: string;
  /** The tenant of the key's principal (null: a platform principal). */
  tenantId: string | null;
  prefix: string;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export type NewPrincipal = Pick<PrincipalRecord, 'tenantId' | 'kind' | 'name' | 'roles'>;

export interface NewApiKey {
  prefix: string;
  /** SHA-256 of the whole key (libs/auth hashApiKey); the key itself is never stored. */
  keyHash: string;
  label: string;
  expiresAt: Date | null;
}

/** Principals and their API keys, as the services that manage them read and change them. */
export interface PrincipalStore {
  /** Holds the tenant against deletion until the transaction ends; false when there is none. */
  lockTenant(tenantId: string): Promise<boolean>;
  create(principal: NewPrincipal): Promise<PrincipalRecord>;
  /** The first 1000 in the scope: platform principals first, then by tenant and name. */
  list(scope: TenantScope): Promise<PrincipalRecord[]>;
  find(scope: TenantScope, id: string, lock?: RowLock): Promise<PrincipalRecord | null>;
  setDisabled(scope: TenantScope, id: string, disabled: boolean): Promise<PrincipalRecord | null>;
  /** Platform principals holding `role` (an unscoped question: the platform's own). */
  countPlatformPrincipalsWithRole(role: string): Promise<number>;
  keysOf(scope: TenantScope, principalId: string): Promise<ApiKeyRecord[]>;
  addKey(principal: Pick<PrincipalRecord, 'id' | 'tenantId'>, key: NewApiKey): Promise<ApiKeyRecord>;
  findKey(scope: TenantScope, keyId: string, lock?: RowLock): Promise<ApiKeyRecord | null>;
  revokeKey(scope: TenantScope, keyId: string): Promise<ApiKeyRecord | null>;
}

/** A row lock taken with the read: FOR SHARE or FOR UPDATE. */
export type RowLock = 'share' | 'update';

interface PrincipalRow {
  id: string;
  tenant_id: string | null;
  kind: 'user' | 'service';
  name: string;
  roles: string[];
  created_at: Date;
  disabled_at: Date | null;
}

interface KeyRow {
  id: string;
  principal_id: string;
  tenant_id: string | null;
  prefix: string;
  label: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const PRINCIPAL_COLUMNS = 'id, tenant_id, kind, name, roles, created_at, disabled_at';
const KEY_COLUMNS =
  'k.id, k.principal_id, p.tenant_id, k.prefix, k.label, k.created_at, k.expires_at, k.revoked_at, k.last_used_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const principalOf = (row: PrincipalRow): PrincipalRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  kind: row.kind,
  name: row.name,
  roles: row.roles,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
});

const keyOf = (row: KeyRow): ApiKeyRecord => ({
  id: row.id,
  principalId: row.principal_id,
  tenantId: row.tenant_id,
  prefix: row.prefix,
  label: row.label,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

const lockClause = (lock: RowLock | undefined, of = '') =>
  lock === undefined ? '' : `FOR ${lock === 'share' ? 'SHARE' : 'UPDATE'}${of}`;

/** The PrincipalStore on Postgres, within `db` (a transaction's manager, or the data source's). */
export function principalStore(db: EntityManager): PrincipalStore {
  return {
    async lockTenant(tenantId) {
      const rows: unknown[] = await db.query(`SELECT 1 FROM tenants WHERE id = $1 FOR SHARE`, [tenantId]);
      return rows.length > 0;
    },

    async create(principal) {
      const rows: PrincipalRow[] = await db.query(
        `INSERT INTO principals (tenant_id, kind, name, roles) VALUES ($1, $2, $3, $4) RETURNING ${PRINCIPAL_COLUMNS}`,
        [principal.tenantId, principal.kind, principal.name, principal.roles],
      );
      return principalOf(rows[0] as PrincipalRow);
    },

    async list(scope) {
      const [condition, params] = scopeCondition(scope, 'tenant_id', 1);
      const rows: PrincipalRow[] = await db.query(
        `SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE ${condition}
          ORDER BY tenant_id NULLS FIRST, name LIMIT 1000`,
        params,
      );
      return rows.map(principalOf);
    },

    async find(scope, id, lock) {
      if (!UUID.test(id)) return null;
      const [condition, params] = scopeCondition(scope, 'tenant_id', 2);
      const rows: PrincipalRow[] = await db.query(
        `SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE id = $1 AND ${condition} ${lockClause(lock)}`,
        [id, ...params],
      );
      return rows[0] === undefined ? null : principalOf(rows[0]);
    },

    async setDisabled(scope, id, disabled) {
      if (!UUID.test(id)) return null;
      const [condition, params] = scopeCondition(scope, 'tenant_id', 2);
      const [rows]: [PrincipalRow[], number] = await db.query(
        `UPDATE principals SET disabled_at = ${disabled ? 'now()' : 'NULL'}
          WHERE id = $1 AND ${condition} RETURNING ${PRINCIPAL_COLUMNS}`,
        [id, ...params],
      );
      return rows[0] === undefined ? null : principalOf(rows[0]);
    },

    async countPlatformPrincipalsWithRole(role) {
      const rows: { n: number }[] = await db.query(
        `SELECT count(*)::int AS n FROM principals WHERE tenant_id IS NULL AND $1 = ANY(roles)`,
        [role],
      );
      return rows[0]?.n ?? 0;
    },

    async keysOf(scope, principalId) {
      if (!UUID.test(principalId)) return [];
      const [condition, params] = scopeCondition(scope, 'p.tenant_id', 2);
      const rows: KeyRow[] = await db.query(
        `SELECT ${KEY_COLUMNS} FROM api_keys k JOIN principals p ON p.id = k.principal_id
          WHERE k.principal_id = $1 AND ${condition} ORDER BY k.created_at`,
        [principalId, ...params],
      );
      return rows.map(keyOf);
    },

    async addKey(principal, key) {
      const rows: Omit<KeyRow, 'tenant_id'>[] = await db.query(
        `INSERT INTO api_keys (principal_id, prefix, key_hash, label, expires_at) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, principal_id, prefix, label, created_at, expires_at, revoked_at, last_used_at`,
        [principal.id, key.prefix, key.keyHash, key.label, key.expiresAt],
      );
      return keyOf({ ...(rows[0] as Omit<KeyRow, 'tenant_id'>), tenant_id: principal.tenantId });
    },

    async findKey(scope, keyId, lock) {
      if (!UUID.test(keyId)) return null;
      const [condition, params] = scopeCondition(scope, 'p.tenant_id', 2);
      const rows: KeyRow[] = await db.query(
        `SELECT ${KEY_COLUMNS} FROM api_keys k JOIN principals p ON p.id = k.principal_id
          WHERE k.id = $1 AND ${condition} ${lockClause(lock, ' OF k')}`,
        [keyId, ...params],
      );
      return rows[0] === undefined ? null : keyOf(rows[0]);
    },

    async revokeKey(scope, keyId) {
      if (!UUID.test(keyId)) return null;
      const [condition, params] = scopeCondition(scope, 'p.tenant_id', 2);
      const [rows]: [KeyRow[], number] = await db.query(
        `UPDATE api_keys k SET revoked_at = now() FROM principals p
          WHERE k.id = $1 AND p.id = k.principal_id AND ${condition} RETURNING ${KEY_COLUMNS}`,
        [keyId, ...params],
      );
      return rows[0] === undefined ? null : keyOf(rows[0]);
    },
  };
}
