import { describe, expect, it } from '@jest/globals';
import { accessMatrix, rolesWith } from './access-matrix.js';
import type { Principal } from './can.js';
import { can, canAssignRoles, effectiveRoles } from './can.js';
import type { Permission, Role } from './roles.js';
import { PERMISSIONS, ROLES, isPlatformRole } from './roles.js';

/**
 * The policy written out by hand, independently of ROLE_PERMISSIONS: which roles hold each
 * permission. A change to the table that does not change this test is a change nobody meant.
 */
const PA = 'platform-admin';
const OP = 'operator';
const AU = 'auditor';
const TA = 'tenant-admin';
const TM = 'tenant-member';
const EXPECTED: Record<Permission, Role[]> = {
  'read:self': [PA, OP, AU, TA, TM],
  'read:tenants': [PA, OP, AU, TA, TM],
  'write:tenants': [PA],
  'suspend:tenants': [PA],
  'read:quota': [PA, OP, AU, TA, TM],
  'write:quota': [PA],
  'read:principals': [PA, AU, TA],
  'write:principals': [PA, TA],
  'manage:keys': [PA, TA],
  'read:grants': [PA, OP, AU, TA, TM],
  'manage:grants': [PA],
  'read:audit': [PA, AU, TA],
  'read:gpu': [PA, OP, AU],
  'read:nodes': [PA, OP, AU],
  'drain:nodes': [PA, OP],
  'read:kernels': [PA, OP, AU],
  'register:kernels': [PA],
  'simulate:jobs': [PA, OP, TA, TM],
  'submit:jobs': [PA, TA, TM],
  'read:jobs': [PA, OP, AU, TA, TM],
  'cancel:jobs': [PA, OP, TA, TM],
  'read:rigs': [PA, OP, AU, TA, TM],
  'write:rigs': [PA, TA, TM],
  'read:streams': [PA, OP, AU, TA, TM],
  'write:streams': [PA, TA, TM],
  'ingest:streams': [PA, TA, TM],
  'read:billing': [PA, AU, TA],
  'manage:billing': [PA],
};

const TENANT_A = '11111111-1111-4111-8111-111111111111';
const TENANT_B = '22222222-2222-4222-8222-222222222222';

function principalFor(role: Role): Principal {
  return { id: `p-${role}`, tenantId: isPlatformRole(role) ? null : TENANT_A, roles: [role] };
}

const cases = ROLES.flatMap((role) => PERMISSIONS.map((permission) => [role, permission] as const));

describe('can: every role against every permission', () => {
  it('covers every permission in the expected table', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
  });

  it.each(cases)('%s × %s', (role, permission) => {
    const principal = principalFor(role);
    const holds = EXPECTED[permission].includes(role);
    const own = can(principal, permission, { tenantId: TENANT_A });
    const other = can(principal, permission, { tenantId: TENANT_B });
    const platformObject = can(principal, permission, { tenantId: null });
    const routeLevel = can(principal, permission);

    expect(routeLevel.outcome).toBe(holds ? 'allowed' : 'forbidden');
    expect(own.outcome).toBe(holds ? 'allowed' : 'forbidden');
    if (!holds) {
      // Without the permission the answer must not depend on the target, or ids could be probed.
      expect([other.outcome, platformObject.outcome]).toEqual(['forbidden', 'forbidden']);
    } else if (isPlatformRole(role)) {
      expect([other.outcome, platformObject.outcome]).toEqual(['allowed', 'allowed']);
    } else {
      expect([other.outcome, platformObject.outcome]).toEqual(['not-found', 'not-found']);
      expect(other.allowed).toBe(false);
    }
    expect(own.allowed).toBe(own.outcome === 'allowed');
  });
});

describe('can: scope and role hygiene', () => {
  it('explains its decisions', () => {
    expect(can(principalFor(TA), 'manage:keys', { tenantId: TENANT_A })).toEqual({
      allowed: true,
      outcome: 'allowed',
      reason: 'tenant-admin grants manage:keys',
      role: TA,
    });
    expect(can(principalFor(TM), 'write:quota').reason).toBe('roles tenant-member do not grant write:quota');
    expect(can(principalFor(TA), 'read:audit', { tenantId: TENANT_B }).reason).toContain('outside tenant');
  });

  it('ignores platform roles held by a tenant principal', () => {
    const smuggled: Principal = { id: 'p', tenantId: TENANT_A, roles: ['tenant-member', 'platform-admin'] };
    expect(effectiveRoles(smuggled)).toEqual([TM]);
    expect(can(smuggled, 'write:tenants').outcome).toBe('forbidden');
    expect(can(smuggled, 'submit:jobs', { tenantId: TENANT_B }).outcome).toBe('not-found');
  });

  it('ignores tenant roles held by a platform principal, and unknown roles', () => {
    const odd: Principal = { id: 'p', tenantId: null, roles: ['tenant-admin', 'root', 'OPERATOR'] };
    expect(effectiveRoles(odd)).toEqual([]);
    expect(can(odd, 'read:self')).toMatchObject({
      outcome: 'forbidden',
      reason: 'no usable role grants read:self',
    });
  });

  it('refuses a permission outside the table', () => {
    expect(can(principalFor(PA), 'delete:everything' as Permission).outcome).toBe('forbidden');
  });

  it('combines several roles', () => {
    const both: Principal = { id: 'p', tenantId: null, roles: ['auditor', 'operator'] };
    expect(can(both, 'drain:nodes').role).toBe(OP);
    expect(can(both, 'read:audit').role).toBe(AU);
  });
});

describe('canAssignRoles', () => {
  it('lets a tenant admin give tenant roles in its own tenant only', () => {
    const admin = principalFor(TA);
    expect(canAssignRoles(admin, [TM, TA], TENANT_A).outcome).toBe('allowed');
    expect(canAssignRoles(admin, [TM], TENANT_B).outcome).toBe('not-found');
    expect(canAssignRoles(admin, [PA], TENANT_A)).toMatchObject({ outcome: 'forbidden' });
    expect(canAssignRoles(admin, [OP], null).outcome).toBe('not-found');
  });

  it('lets a platform admin give platform roles to platform principals and tenant roles to tenants', () => {
    const admin = principalFor(PA);
    expect(canAssignRoles(admin, [OP, AU], null).outcome).toBe('allowed');
    expect(canAssignRoles(admin, [TA], TENANT_B).outcome).toBe('allowed');
    expect(canAssignRoles(admin, [TA], null).reason).toContain('cannot be given to a platform principal');
    expect(canAssignRoles(admin, [PA], TENANT_B).reason).toContain('cannot be given to a tenant principal');
    expect(canAssignRoles(admin, ['root'], null).reason).toContain('unknown roles root');
  });

  it('refuses roles that cannot manage principals at all', () => {
    expect(canAssignRoles(principalFor(TM), [TM], TENANT_A).outcome).toBe('forbidden');
    expect(canAssignRoles(principalFor(AU), [AU], null).outcome).toBe('forbidden');
  });
});

describe('route matrix helpers', () => {
  it.each(PERMISSIONS)('rolesWith(%s) lists the roles of the expected table', (permission) => {
    expect(rolesWith(permission)).toEqual(EXPECTED[permission]);
  });

  it('gives e2e expectations per role, including the cross-tenant answer', () => {
    expect(accessMatrix('manage:keys')).toEqual([
      { role: PA, scope: 'platform', own: 'allowed', crossTenant: 'allowed' },
      { role: OP, scope: 'platform', own: 'forbidden', crossTenant: 'forbidden' },
      { role: AU, scope: 'platform', own: 'forbidden', crossTenant: 'forbidden' },
      { role: TA, scope: 'tenant', own: 'allowed', crossTenant: 'not-found' },
      { role: TM, scope: 'tenant', own: 'forbidden', crossTenant: 'forbidden' },
    ]);
  });
});
