import { can } from './can.js';
import type { AccessOutcome } from './can.js';
import type { Permission, Role } from './roles.js';
import { ROLES, ROLE_PERMISSIONS, isPlatformRole } from './roles.js';

/** The roles that hold a permission, in table order. */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => ROLE_PERMISSIONS[role].includes(permission));
}

export interface RoleAccess {
  role: Role;
  scope: 'platform' | 'tenant';
  /** On the principal's own objects (tenant roles) or any object (platform roles). */
  own: AccessOutcome;
  /** On an object of another tenant. */
  crossTenant: AccessOutcome;
}

const SAMPLE_TENANT = 'tenant-a';
const OTHER_TENANT = 'tenant-b';

/**
 * What every role should get on a route guarded by `permission`, one row per role: the
 * expectations of an end-to-end matrix, computed by the same can() the guard uses.
 */
export function accessMatrix(permission: Permission): RoleAccess[] {
  return ROLES.map((role) => {
    const platform = isPlatformRole(role);
    const principal = { id: `sample-${role}`, tenantId: platform ? null : SAMPLE_TENANT, roles: [role] };
    return {
      role,
      scope: platform ? 'platform' : 'tenant',
      own: can(principal, permission, { tenantId: SAMPLE_TENANT }).outcome,
      crossTenant: can(principal, permission, { tenantId: OTHER_TENANT }).outcome,
    };
  });
}
