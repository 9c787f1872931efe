import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Permission } from '../rbac/roles.js';
import type { AuthenticatedPrincipal, RequestActor } from './authenticated-principal.js';
import { requestActorOf, type AuthenticatedRequest } from './request-context.js';

export const PERMISSION_KEY = 'voxelfleet:permission';
export const PUBLIC_KEY = 'voxelfleet:public';
export const RATE_LIMIT_KEY = 'voxelfleet:rate-limit';

/**
 * The permission a route needs (`action:resource`). The global AuthGuard authenticates the
 * caller and checks it before the handler runs; tenant scope is checked once the object is
 * loaded (AccessControl.ensure), because only then is its owner known.
 */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

/** A route anyone may call without a key. Every other route must declare a permission. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * A route whose budget per key is not the app's default (AuthOptions.rateLimit.limit), in
 * requests per window: frame ingest runs at a stream's frame rate, far above an admin route's.
 */
export const RateLimit = (perWindow: number) => SetMetadata(RATE_LIMIT_KEY, perWindow);

/** The authenticated principal of the request (the guard has put it there). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedPrincipal => {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.principal === undefined)
      throw new Error('CurrentPrincipal on a route without RequirePermission');
    return request.principal;
  },
);

/** The principal with the request's source IP, request id and trace id, for audit entries. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestActor => {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = requestActorOf(request);
    if (actor === null) throw new Error('CurrentActor on a route without RequirePermission');
    return actor;
  },
);
