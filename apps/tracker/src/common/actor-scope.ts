export { auditOriginOf as auditOrigin } from '@voxelfleet/auth';
export { isForeignKeyViolation, isUniqueViolation, isUuid } from '@voxelfleet/persistence';
