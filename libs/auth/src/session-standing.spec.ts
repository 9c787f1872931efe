import { describe, expect, it } from '@jest/globals';
import { sessionStanding, type SessionKeyState } from './session-standing.js';

const live: SessionKeyState = {
  revokedAt: null,
  expiresAt: null,
  principalId: 'p-1',
  tenantId: 't-1',
  roles: ['tenant-member'],
  disabledAt: null,
  tenantStatus: 'active',
};

describe('sessionStanding', () => {
  it('lets a session whose key still stands go on, with its current roles', () => {
    expect(sessionStanding(live, 'read:streams', 0)).toEqual({ ok: true, roles: ['tenant-member'] });
  });

  it.each([
    ['a deleted key', undefined, 'revoked'],
    ['a revoked key', { ...live, revokedAt: new Date(0) }, 'revoked'],
    ['an expired key', { ...live, expiresAt: new Date(1_000) }, 'expired'],
    ['a disabled principal', { ...live, disabledAt: new Date(0) }, 'disabled'],
    ['a suspended tenant', { ...live, tenantStatus: 'suspended' }, 'tenant_suspended'],
    ['a removed permission', { ...live, roles: [] }, 'forbidden'],
  ])('ends the session of %s', (_name, state, code) => {
    expect(sessionStanding(state, 'read:streams', 2_000)).toMatchObject({ ok: false, code });
  });
});
