import type { RequestActor } from '@voxelfleet/auth';
import type { AuditRecord } from '@voxelfleet/audit';
import { auditActorOf } from '@voxelfleet/auth';

/** The tenant a caller is confined to, or null for platform principals (every tenant). */
export function tenantScopeOf(actor: RequestActor): string | null {
  return actor.principal.tenantId;
}

/** The parts of an audit entry that come from the request. */
export function auditOrigin(
  actor: RequestActor,
): Pick<AuditRecord, 'actor' | 'sourceIp' | 'requestId' | 'traceId'> {
  return {
    actor: auditActorOf(actor.principal),
    sourceIp: actor.sourceIp,
    requestId: actor.requestId,
    traceId: actor.traceId,
  };
}

/** Whether a string is a UUID; a malformed id is just an id that does not exist. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** Postgres unique-violation, for turning a duplicate name into a 409. */
export function isUniqueViolation(error: unknown): boolean {
  return hasPgCode(error, '23505');
}

/** Postgres foreign-key violation: rows elsewhere still need this one. */
export function isForeignKeyViolation(error: unknown): boolean {
  return hasPgCode(error, '23503');
}

function hasPgCode(error: unknown, code: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { code?: unknown }).code === code ||
      (error as { driverError?: { code?: unknown } }).driverError?.code === code)
  );
}
