import type { Permission, Role } from './roles.js';
import { ROLE_PERMISSIONS, isPermission, isPlatformRole, isRole } from './roles.js';

export interface Principal {
  id: string;
  /** null for platform principals. */
  tenantId: string | null;
  /** As stored; unknown names are ignored. */
  roles: readonly string[];
}

/** The object acted on, when it is known: which tenant owns it (null: the platform). */
export interface AccessTarget {
  tenantId: string | null;
}

export type AccessOutcome = 'allowed' | 'forbidden' | 'not-found';

export interface AccessDecision {
  allowed: boolean;
  outcome: AccessOutcome;
  reason: string;
  /** The role that granted the permission, when one did. */
  role?: Role;
}

/**
 * The roles that count for a principal. A platform role on a tenant principal, or a tenant
 * role on a platform principal, is ignored: otherwise a tenant admin who can create
 * principals in its tenant could mint a platform admin.
 */
export function effectiveRoles(principal: Principal): Role[] {
  const platform = principal.tenantId === null;
  return principal.roles.filter(isRole).filter((role) => isPlatformRole(role) === platform);
}

/**
 * Decides one permission for one principal. Check without a target at the route, before
 * loading anything, then with the loaded object's owner. A missing permission is
 * 'forbidden' whatever the target, so the answer never depends on whether an id exists; an
 * object outside the principal's tenant is 'not-found' so its existence is not revealed.
 */
export function can(principal: Principal, permission: Permission, target?: AccessTarget): AccessDecision {
  if (!isPermission(permission)) return deny('forbidden', `unknown permission '${String(permission)}'`);
  const roles = effectiveRoles(principal);
  const role = roles.find((r) => ROLE_PERMISSIONS[r].includes(permission));
  if (role === undefined) {
    const reason =
      roles.length === 0
        ? `no usable role grants ${permission}`
        : `roles ${roles.join(', ')} do not grant ${permission}`;
    return deny('forbidden', reason);
  }
  if (principal.tenantId !== null && target !== undefined && target.tenantId !== principal.tenantId) {
    return deny('not-found', `${permission} on an object outside tenant ${principal.tenantId}`);
  }
  return { allowed: true, outcome: 'allowed', reason: `${role} grants ${permission}`, role };
}

function deny(outcome: 'forbidden' | 'not-found', reason: string): AccessDecision {
  return { allowed: false, outcome, reason };
}

/**
 * Whether `actor` may give `roles` to a principal of `targetTenantId`. Only a platform admin
 * hands out platform roles; a tenant admin hands out tenant roles in its own tenant.
 */
export function canAssignRoles(
  actor: Principal,
  roles: readonly string[],
  targetTenantId: string | null,
): AccessDecision {
  const decision = can(actor, 'write:principals', { tenantId: targetTenantId });
  if (!decision.allowed) return decision;
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) return deny('forbidden', `unknown roles ${unknown.join(', ')}`);
  const wrongScope = roles.filter((r) => isRole(r) && isPlatformRole(r) !== (targetTenantId === null));
  if (wrongScope.length > 0) {
    const where = targetTenantId === null ? 'a platform principal' : 'a tenant principal';
    return deny('forbidden', `${wrongScope.join(', ')} cannot be given to ${where}`);
  }
  return decision;
}
