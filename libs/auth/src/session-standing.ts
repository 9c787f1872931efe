import { can } from './rbac/can.js';
import type { Permission } from './rbac/roles.js';

/** What a long-lived session (a socket) needs re-read about its key: its row as it is now. */
export interface SessionKeyState {
  revokedAt: Date | null;
  expiresAt: Date | null;
  principalId: string;
  tenantId: string | null;
  roles: readonly string[];
  disabledAt: Date | null;
  /** The principal's tenant status (`active`, `suspended`), null for platform principals. */
  tenantStatus: string | null;
}

export type SessionStanding =
  { ok: true; roles: readonly string[] } | { ok: false; status: 401 | 403; code: string; reason: string };

/**
 * Whether a session authenticated earlier may go on: a key that has since been revoked,
 * deleted or expired, a disabled principal, a suspended tenant, or a principal that no longer
 * holds `permission` ends it. A REST request is judged at each call; a socket stays open, so
 * its key is judged again on a timer with this (the same rules as ApiKeyAuthenticator).
 */
export function sessionStanding(
  state: SessionKeyState | undefined,
  permission: Permission,
  now: number,
): SessionStanding {
  if (state === undefined) return ended(401, 'revoked', 'API key deleted');
  if (state.revokedAt !== null) return ended(401, 'revoked', 'API key revoked');
  if (state.expiresAt !== null && state.expiresAt.getTime() <= now)
    return ended(401, 'expired', 'API key expired');
  if (state.disabledAt !== null) return ended(401, 'disabled', 'principal disabled');
  if (state.tenantStatus === 'suspended') return ended(403, 'tenant_suspended', 'tenant suspended');
  const decision = can({ id: state.principalId, tenantId: state.tenantId, roles: state.roles }, permission);
  if (!decision.allowed) return ended(403, 'forbidden', decision.reason);
  return { ok: true, roles: state.roles };
}

function ended(status: 401 | 403, code: string, reason: string): SessionStanding {
  return { ok: false, status, code, reason };
}
