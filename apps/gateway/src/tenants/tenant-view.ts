import type { TenantPolicy, TenantRow } from '@voxelfleet/persistence';
import { QUOTA_KEYS } from '@voxelfleet/persistence';
import type { TenantQuota } from '@voxelfleet/scheduling';

/** A tenant as the API shows it: its own overrides and the limits that apply. */
export function tenantView(row: TenantRow, policy?: TenantPolicy) {
  return {
    id: row.id,
    name: row.name,
    edition: row.edition,
    status: row.status,
    suspended: row.status === 'suspended',
    quotaOverrides: row.quota,
    ...(policy ? { limits: effectiveLimits(policy), features: policy.edition.features } : {}),
    weight: Number(row.weight),
    placementPolicy: row.placement_policy,
    cohort: row.cohort,
    borrowingLimit: row.borrowing_limit,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The tenant's own value (override, else edition default) capped by the edition ceiling. */
export function effectiveLimits(policy: TenantPolicy): TenantQuota {
  return Object.fromEntries(
    QUOTA_KEYS.map((key) => [key, Math.min(policy.quota[key], policy.edition.ceiling[key])]),
  ) as unknown as TenantQuota;
}

/** Overrides above the edition's ceiling, as `field: requested > ceiling` messages. */
export function ceilingViolations(overrides: Partial<TenantQuota>, ceiling: TenantQuota): string[] {
  return QUOTA_KEYS.filter((key) => overrides[key] !== undefined && overrides[key] > ceiling[key]).map(
    (key) => `quota.${key}: ${overrides[key]} exceeds the edition ceiling ${ceiling[key]}`,
  );
}
