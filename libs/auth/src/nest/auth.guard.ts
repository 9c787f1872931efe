import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@voxelfleet/platform';
import type { Response } from 'express';
import { can } from '../rbac/can.js';
import type { Permission } from '../rbac/roles.js';
import { DenialRecorder } from './access-control.js';
import { ApiKeyAuthenticator } from './api-key-authenticator.js';
import { PERMISSION_KEY, PUBLIC_KEY } from './auth.decorators.js';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options.js';
import { requestOriginOf, type AuthenticatedRequest } from './request-context.js';

/**
 * The one guard: authenticates the Bearer key, then checks the route's permission. Fails
 * closed: an HTTP route with neither @RequirePermission nor @Public is refused, unless its
 * path is one of the operational ones listed in the options (health, metrics, docs).
 * 401 for no or a bad key, 403 for a missing permission; both are audited.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator,
    @Inject(DenialRecorder) private readonly denials: DenialRecorder,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    const route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
    if (permission === undefined) {
      if (this.isOperationalPath(request.path)) return true;
      throw new DomainError(403, 'forbidden', 'route declares no permission');
    }
    const origin = requestOriginOf(request);
    const result = await this.authenticator.authenticate(request.headers.authorization);
    if (!result.ok) {
      await this.denials.record({
        principal: null,
        origin,
        action: permission,
        resource: { type: 'route', id: route },
        status: 401,
        reason: result.keyPrefix ? `${result.reason} (prefix ${result.keyPrefix})` : result.reason,
      });
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
      throw new DomainError(401, 'unauthenticated', result.reason);
    }
    const decision = can(result.principal, permission);
    if (!decision.allowed) {
      await this.denials.record({
        principal: result.principal,
        origin,
        action: permission,
        resource: { type: 'route', id: route },
        status: 403,
        reason: decision.reason,
      });
      throw new DomainError(403, 'forbidden', decision.reason);
    }
    request.principal = result.principal;
    return true;
  }

  private isOperationalPath(path: string): boolean {
    return this.options.operationalPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  }
}
