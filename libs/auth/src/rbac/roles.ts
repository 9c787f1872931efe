/**
 * Roles and what they may do, in one table. Platform roles act across tenants; tenant roles
 * act only inside the principal's own tenant (see can()).
 */
export const PLATFORM_ROLES = ['platform-admin', 'operator', 'auditor'] as const;
export const TENANT_ROLES = ['tenant-admin', 'tenant-member'] as const;
export const ROLES = [...PLATFORM_ROLES, ...TENANT_ROLES] as const;

export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export type TenantRole = (typeof TENANT_ROLES)[number];
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'read:self',
  'read:tenants',
  'write:tenants',
  'suspend:tenants',
  'read:quota',
  'write:quota',
  'read:principals',
  'write:principals',
  'manage:keys',
  'read:grants',
  'manage:grants',
  'read:audit',
  'read:gpu',
  'read:nodes',
  'drain:nodes',
  'read:kernels',
  'register:kernels',
  'simulate:jobs',
  'submit:jobs',
  'read:jobs',
  'cancel:jobs',
  'read:rigs',
  'write:rigs',
  'read:streams',
  'write:streams',
  'ingest:streams',
  'read:billing',
  'manage:billing',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const READ_ALL = PERMISSIONS.filter((p) => p.startsWith('read:'));

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  'platform-admin': PERMISSIONS,
  // Runs the fleet: sees everything but audit and identities, drains nodes, cancels jobs.
  operator: [
    'read:self',
    'read:tenants',
    'read:quota',
    'read:grants',
    'read:gpu',
    'read:nodes',
    'drain:nodes',
    'read:kernels',
    'simulate:jobs',
    'read:jobs',
    'cancel:jobs',
    'read:rigs',
    'read:streams',
  ],
  // Read-only over everything, audit included; changes nothing.
  auditor: READ_ALL,
  // Runs one tenant: its principals and keys, its audit trail and its jobs. Grants and quotas
  // stay with the platform, or a tenant could lift its own limits.
  'tenant-admin': [
    'read:self',
    'read:tenants',
    'read:quota',
    'read:principals',
    'write:principals',
    'manage:keys',
    'read:grants',
    'read:audit',
    'read:billing',
    'simulate:jobs',
    'submit:jobs',
    'read:jobs',
    'cancel:jobs',
    'read:rigs',
    'write:rigs',
    'read:streams',
    'write:streams',
    'ingest:streams',
  ],
  'tenant-member': [
    'read:self',
    'read:tenants',
    'read:quota',
    'read:grants',
    'simulate:jobs',
    'submit:jobs',
    'read:jobs',
    'cancel:jobs',
    'read:rigs',
    'write:rigs',
    'read:streams',
    'write:streams',
    'ingest:streams',
  ],
};

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
const PERMISSION_SET: ReadonlySet<string> = new Set(PERMISSIONS);
const PLATFORM_ROLE_SET: ReadonlySet<string> = new Set(PLATFORM_ROLES);

export function isRole(value: string): value is Role {
  return ROLE_SET.has(value);
}

export function isPermission(value: string): value is Permission {
  return PERMISSION_SET.has(value);
}

export function isPlatformRole(role: Role): role is PlatformRole {
  return PLATFORM_ROLE_SET.has(role);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}
