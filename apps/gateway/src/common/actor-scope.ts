import type { RequestActor } from '@voxelfleet/auth';

export { auditOriginOf as auditOrigin } from '@voxelfleet/auth';
export { isForeignKeyViolation, isUniqueViolation, isUuid } from '@voxelfleet/persistence';

/** The tenant a caller is confined to, or null for platform principals (every tenant). */
export function tenantScopeOf(actor: RequestActor): string | null {
  return actor.principal.tenantId;
}
