import type { EntityManager } from 'typeorm';
import type { TenantScope } from './tenant-scope.js';

/** A tenant row as stored (quota: the tenant's own overrides of its edition's defaults). */
export interface TenantRow {
  id: string;
  name: string;
  edition: string;
  status: 'active' | 'suspended';
  quota: Record<string, number>;
  weight: number;
  placement_policy: string | null;
  /** Tenants of one cohort lend each other unused quota; null: none. */
  cohort: string | null;
  /** Per borrowable quota, how far beyond its own limit the tenant may borrow. */
  borrowing_limit: Record<string, number>;
  created_at: Date;
  updated_at: Date;
}

export type NewTenant = Pick<TenantRow, 'name' | 'edition' | 'quota' | 'weight' | 'placement_policy'>;
export type TenantChange = Partial<
  Pick<
    TenantRow,
    'name' | 'edition' | 'status' | 'quota' | 'weight' | 'placement_policy' | 'cohort' | 'borrowing_limit'
  >
>;

/** Tenants as the gateway creates, reads, changes and removes them. */
export interface TenantStore {
  /** The first 1000 in the scope by name: a tenant principal's own, or every one. */
  list(scope: TenantScope): Promise<TenantRow[]>;
  /** With `lock`, held FOR UPDATE until the transaction ends. */
  find(scope: TenantScope, id: string, lock?: boolean): Promise<TenantRow | null>;
  create(tenant: NewTenant): Promise<TenantRow>;
  /** The changed row; null when there is none in the scope. */
  change(scope: TenantScope, id: string, change: TenantChange): Promise<TenantRow | null>;
  /** Whether a tenant in the scope was removed (its objects must be removed first: foreign keys). */
  remove(scope: TenantScope, id: string): Promise<boolean>;
}

const COLUMNS =
  'id, name, edition, status, quota, weight, placement_policy, cohort, borrowing_limit, created_at, updated_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The columns a change may set, each with how its value is written. */
const CHANGEABLE: Record<keyof TenantChange, (value: unknown) => unknown> = {
  name: (v) => v,
  edition: (v) => v,
  status: (v) => v,
  quota: (v) => JSON.stringify(v),
  weight: (v) => v,
  placement_policy: (v) => v,
  cohort: (v) => v,
  borrowing_limit: (v) => JSON.stringify(v),
};

/** A tenant's rows are its own: the scope's condition is on the tenant's id. */
function idCondition(scope: TenantScope, n: number): [string, unknown[]] {
  return 'tenantId' in scope ? [`id = $${n}`, [scope.tenantId]] : ['TRUE', []];
}

/** The TenantStore on Postgres, within `db` (a transaction's manager, or the data source's). */
export function tenantStore(db: EntityManager): TenantStore {
  return {
    async list(scope) {
      const [condition, params] = idCondition(scope, 1);
      const rows: TenantRow[] = await db.query(
        `SELECT ${COLUMNS} FROM tenants WHERE ${condition} ORDER BY name LIMIT 1000`,
        params,
      );
      return rows;
    },

    async find(scope, id, lock = false) {
      if (!UUID.test(id)) return null;
      const [condition, params] = idCondition(scope, 2);
      const rows: TenantRow[] = await db.query(
        `SELECT ${COLUMNS} FROM tenants WHERE id = $1 AND ${condition} ${lock ? 'FOR UPDATE' : ''}`,
        [id, ...params],
      );
      return rows[0] ?? null;
    },

    async create(tenant) {
      const rows: TenantRow[] = await db.query(
        `INSERT INTO tenants (name, edition, quota, weight, placement_policy) VALUES ($1, $2, $3, $4, $5)
         RETURNING ${COLUMNS}`,
        [tenant.name, tenant.edition, JSON.stringify(tenant.quota), tenant.weight, tenant.placement_policy],
      );
      return rows[0] as TenantRow;
    },

    async change(scope, id, change) {
      if (!UUID.test(id)) return null;
      // Only the known columns are ever written into the statement, whatever object is passed.
      const fields = (Object.keys(CHANGEABLE) as (keyof TenantChange)[]).filter(
        (key) => change[key] !== undefined,
      );
      const params: unknown[] = [id, ...fields.map((key) => CHANGEABLE[key](change[key]))];
      const [condition, scopeParams] = idCondition(scope, params.length + 1);
      const sets = [...fields.map((key, i) => `${key} = $${i + 2}`), 'updated_at = now()'];
      const [rows]: [TenantRow[], number] = await db.query(
        `UPDATE tenants SET ${sets.join(', ')} WHERE id = $1 AND ${condition} RETURNING ${COLUMNS}`,
        [...params, ...scopeParams],
      );
      return rows[0] ?? null;
    },

    async remove(scope, id) {
      if (!UUID.test(id)) return false;
      const [condition, params] = idCondition(scope, 2);
      const [, removed]: [unknown[], number] = await db.query(
        `DELETE FROM tenants WHERE id = $1 AND ${condition}`,
        [id, ...params],
      );
      return removed > 0;
    },
  };
}
