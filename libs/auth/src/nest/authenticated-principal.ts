import type { GpuGrant } from '../rbac/gpu-grants.js';
import type { Principal } from '../rbac/can.js';

/** Who is calling, as the API key resolved: the principal, its roles and its live GPU grants. */
export interface AuthenticatedPrincipal extends Principal {
  kind: 'user' | 'service';
  name: string;
  /** The API key used (row id and visible prefix). */
  keyId: string;
  keyPrefix: string;
  /** Live GPU capability grants (default deny: empty means no GPU use). */
  grants: GpuGrant[];
}

/** The principal plus where the request came from: everything an audit entry needs. */
export interface RequestActor {
  principal: AuthenticatedPrincipal;
  sourceIp: string | null;
  requestId: string | null;
  traceId: string | null;
}
