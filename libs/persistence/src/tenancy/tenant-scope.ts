/**
 * Whose rows a read may return: one tenant's (what a tenant principal may see), or every
 * tenant's and the platform's (a platform principal). Every store method that reads tenant
 * data takes one, so no call reads another tenant's rows by leaving a filter out.
 */
export type TenantScope = { readonly tenantId: string } | { readonly allTenants: true };

/** The scope of a principal of `tenantId` (null: a platform principal). */
export function tenantScope(tenantId: string | null): TenantScope {
  return tenantId === null ? { allTenants: true } : { tenantId };
}

/**
 * The scope as a condition on `column`, its parameter numbered `$n`: `TRUE` with no parameter
 * for every tenant, else `column = $n` with the tenant id.
 */
export function scopeCondition(scope: TenantScope, column: string, n: number): [string, unknown[]] {
  return 'tenantId' in scope ? [`${column} = $${n}`, [scope.tenantId]] : ['TRUE', []];
}
