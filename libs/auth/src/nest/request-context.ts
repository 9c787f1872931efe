import { trace } from '@opentelemetry/api';
import type { AuditActor, AuditRecord } from '@voxelfleet/audit';
import type { Request } from 'express';
import type { AuthenticatedPrincipal, RequestActor } from './authenticated-principal.js';

export type AuthenticatedRequest = Request & { principal?: AuthenticatedPrincipal; id?: unknown };

export interface RequestOrigin {
  sourceIp: string | null;
  requestId: string | null;
  traceId: string | null;
}

export function requestOriginOf(request: AuthenticatedRequest): RequestOrigin {
  const traceId = trace.getActiveSpan()?.spanContext().traceId;
  return {
    sourceIp: request.ip ?? request.socket?.remoteAddress ?? null,
    requestId: typeof request.id === 'string' ? request.id : null,
    // An all-zero id is the "no trace" placeholder.
    traceId: traceId !== undefined && !/^0+$/.test(traceId) ? traceId : null,
  };
}

/**
 * The caller and where the request came from. The origin (source IP through the proxy
 * settings, request id, active trace) is worked out on first use: most reads never write an
 * audit entry, so they never need it.
 */
export function requestActorOf(request: AuthenticatedRequest): RequestActor | null {
  if (request.principal === undefined) return null;
  return new LazyRequestActor(request.principal, request);
}

/**
 * A class rather than an object literal with getters: a literal's getters are new closures
 * on every call, which gives every actor its own hidden class, and V8 keeps those (and,
 * through the getters, the whole request) alive until its next full collection, so each
 * authenticated request's objects outlived it. Here the getters live on the prototype and the
 * request in a private field (never enumerated or serialised).
 */
class LazyRequestActor implements RequestActor {
  readonly #request: AuthenticatedRequest;
  #origin: RequestOrigin | undefined;

  constructor(
    readonly principal: AuthenticatedPrincipal,
    request: AuthenticatedRequest,
  ) {
    this.#request = request;
  }

  get sourceIp(): string | null {
    return this.#originOf().sourceIp;
  }

  get requestId(): string | null {
    return this.#originOf().requestId;
  }

  get traceId(): string | null {
    return this.#originOf().traceId;
  }

  #originOf(): RequestOrigin {
    return (this.#origin ??= requestOriginOf(this.#request));
  }
}

/** How a principal appears in an audit entry: id, kind and roles, never its key. */
export function auditActorOf(principal: AuthenticatedPrincipal | null): AuditActor {
  if (principal === null) return { id: null, type: 'anonymous', roles: [] };
  return { id: principal.id, type: principal.kind, roles: [...principal.roles] };
}

/** The parts of an audit entry that come from the request: who, from where, which request. */
export function auditOriginOf(
  actor: RequestActor,
): Pick<AuditRecord, 'actor' | 'sourceIp' | 'requestId' | 'traceId'> {
  return {
    actor: auditActorOf(actor.principal),
    sourceIp: actor.sourceIp,
    requestId: actor.requestId,
    traceId: actor.traceId,
  };
}
