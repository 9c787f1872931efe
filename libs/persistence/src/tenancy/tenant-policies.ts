import {
  BORROWABLE_QUOTAS,
  type BorrowingLimit,
  type EditionFeatures,
  type EditionPolicy,
  type PlacementPolicy,
  type TenantQuota,
} from '@voxelfleet/scheduling';
import type { EntityManager } from 'typeorm';

/** A tenant's scheduling policy as stored: what admission needs besides live usage. */
export interface TenantPolicy {
  id: string;
  name: string;
  suspended: boolean;
  edition: EditionPolicy;
  /** The tenant's own limits: its overrides on top of the edition defaults (not yet capped). */
  quota: TenantQuota;
  /** The overrides alone, as stored on the tenant. */
  overrides: Partial<TenantQuota>;
  weight: number;
  placementPolicy?: PlacementPolicy;
  /** Tenants of one cohort lend each other unused quota (libs/scheduling borrowing.ts). */
  cohort?: string;
  borrowingLimit: BorrowingLimit;
}

export interface EditionRecord extends EditionPolicy {
  /** What a tenant of this edition gets before any override. */
  defaults: TenantQuota;
}

export const QUOTA_KEYS: readonly (keyof TenantQuota)[] = [
  'vramBytesPerDevice',
  'vramBytesTotal',
  'gpus',
  'concurrentJobs',
  'jobsPerMinute',
  'gpuSecondsPerDay',
  'trackingStreams',
];

interface EditionRow {
  name: string;
  features: EditionFeatures;
  defaults: Record<string, unknown>;
  ceiling: Record<string, unknown>;
}

interface TenantPolicyRow extends EditionRow {
  id: string;
  tenant_name: string;
  status: string;
  quota: Record<string, unknown>;
  weight: number;
  placement_policy: PlacementPolicy | null;
  cohort: string | null;
  borrowing_limit: Record<string, unknown>;
}

export async function loadEditions(manager: EntityManager): Promise<EditionRecord[]> {
  const rows: EditionRow[] = await manager.query(
    `SELECT name, features, defaults, ceiling FROM editions ORDER BY name`,
  );
  return rows.map(toEdition);
}

/**
 * Every tenant's policy (or only `tenantIds`), edition included, in id order. The scheduler's
 * admission and the gateway's quota report both start from this.
 */
export async function loadTenantPolicies(
  manager: EntityManager,
  tenantIds?: readonly string[],
): Promise<TenantPolicy[]> {
  const filter = tenantIds === undefined ? '' : 'WHERE t.id = ANY($1::uuid[])';
  const rows: TenantPolicyRow[] = await manager.query(
    `SELECT t.id, t.name AS tenant_name, t.status, t.quota, t.weight, t.placement_policy,
            t.cohort, t.borrowing_limit,
            e.name, e.features, e.defaults, e.ceiling
       FROM tenants t JOIN editions e ON e.name = t.edition
       ${filter}
      ORDER BY t.id`,
    tenantIds === undefined ? [] : [tenantIds],
  );
  return rows.map((row) => {
    const edition = toEdition(row);
    const overrides = quotaOverrides(row.quota);
    return {
      id: row.id,
      name: row.tenant_name,
      suspended: row.status === 'suspended',
      edition: { name: edition.name, features: edition.features, ceiling: edition.ceiling },
      quota: { ...edition.defaults, ...overrides },
      overrides,
      weight: Number(row.weight),
      ...(row.placement_policy === null ? {} : { placementPolicy: row.placement_policy }),
      ...(row.cohort === null ? {} : { cohort: row.cohort }),
      borrowingLimit: storedBorrowingLimit(row.borrowing_limit),
    };
  });
}

/** The borrowable quotas of a stored borrowing limit; anything else is ignored. */
export function storedBorrowingLimit(stored: Record<string, unknown> | null | undefined): BorrowingLimit {
  const out: Partial<Record<(typeof BORROWABLE_QUOTAS)[number], number>> = {};
  for (const key of BORROWABLE_QUOTAS) {
    const value = stored?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  return out;
}

/** The known quota keys of a stored override object; anything else is ignored. */
export function quotaOverrides(stored: Record<string, unknown>): Partial<TenantQuota> {
  const out: Partial<Record<keyof TenantQuota, number>> = {};
  for (const key of QUOTA_KEYS) {
    const value = stored[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  return out;
}

function toEdition(row: EditionRow): EditionRecord {
  return {
    name: row.name,
    features: {
      multiGpu: row.features.multiGpu === true,
      signedCustomKernels: row.features.signedCustomKernels === true,
      trackingStreams: row.features.trackingStreams === true,
      cpuFallback: row.features.cpuFallback === true,
    },
    defaults: fullQuota(row.defaults),
    ceiling: fullQuota(row.ceiling),
  };
}

// A missing or malformed limit reads as 0: a broken edition row denies rather than allows.
function fullQuota(stored: Record<string, unknown>): TenantQuota {
  const partial = quotaOverrides(stored);
  return Object.fromEntries(QUOTA_KEYS.map((key) => [key, partial[key] ?? 0])) as unknown as TenantQuota;
}
