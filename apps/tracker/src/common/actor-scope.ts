import type { AuditRecord } from '@voxelfleet/audit';
import { auditActorOf, type RequestActor } from '@voxelfleet/auth';

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
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { code?: unknown }).code === '23505' ||
      (error as { driverError?: { code?: unknown } }).driverError?.code === '23505')
  );
}

/** Postgres foreign-key violation (e.g. deleting a rig that streams still use). */
export function isForeignKeyViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { code?: unknown }).code === '23503' ||
      (error as { driverError?: { code?: unknown } }).driverError?.code === '23503')
  );
}
