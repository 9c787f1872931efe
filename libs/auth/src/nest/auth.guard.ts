import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@voxelfleet/platform';
import type { Response } from 'express';
import { can } from '../rbac/can.js';
import type { Permission } from '../rbac/roles.js';
import { DenialRecorder } from './access-control.js';
import { ApiKeyAuthenticator } from './api-key-authenticator.js';
import { PERMISSION_KEY, PUBLIC_KEY, RATE_LIMIT_KEY } from './auth.decorators.js';
import type { RequestLimits } from '../rate-limit/request-limits.js';
import { AUTH_OPTIONS, REQUEST_LIMITS, type AuthOptions } from './auth.options.js';
import { requestOriginOf, type AuthenticatedRequest } from './request-context.js';

interface RouteAuth {
  classRef: object;
  isPublic: boolean;
  permission: Permission | undefined;
  /** "Controller.handler": the route's own budget per key. */
  routeId: string;
  /** Its budget per window when not the app's default (@RateLimit). */
  rateLimit: number | undefined;
}

/** "GET /v1/things/:id": the route pattern, for denial audit entries. */
function routeOf(request: AuthenticatedRequest): string {
  return `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
}

/**
 * The one guard: authenticates the Bearer key, then checks the route's permission. Fails
 * closed: an HTTP route with neither @RequirePermission nor @Public is refused, unless its
 * path is one of the operational ones listed in the options (health, metrics, docs).
 * 401 for no or a bad key, 403 for a missing permission; both are audited. With limits
 * (AuthOptions.rateLimit), a source address with too many failed authentications is refused
 * before any database read, a failure spends only its address's budget, and an
 * authenticated request spends its key's budget on the route: 429 with Retry-After.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly routes = new WeakMap<object, RouteAuth>();

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator,
    @Inject(DenialRecorder) private readonly denials: DenialRecorder,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Inject(REQUEST_LIMITS) private readonly limits: RequestLimits | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const { isPublic, permission, routeId, rateLimit } = this.routeAuth(context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (permission === undefined) {
      if (this.isOperationalPath(request.path)) return true;
      throw new DomainError(403, 'forbidden', 'route declares no permission');
    }
    const response = context.switchToHttp().getResponse<Response>();
    const source = requestOriginOf(request).sourceIp;
    if (this.limits !== null) refuseIfWaiting(response, this.limits.sourceBlockedFor(source));
    const result = await this.authenticator.authenticate(request.headers.authorization);
    if (!result.ok) {
      await this.limits?.failed(source);
      await this.denials.record({
        principal: null,
        origin: requestOriginOf(request),
        action: permission,
        resource: { type: 'route', id: routeOf(request) },
        status: 401,
        reason: result.keyPrefix ? `${result.reason} (prefix ${result.keyPrefix})` : result.reason,
      });
      // The failure that spends the address's budget (here or on another instance) is refused as such.
      if (this.limits !== null) refuseIfWaiting(response, this.limits.sourceBlockedFor(source));
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new DomainError(401, 'unauthenticated', result.reason);
    }
    if (this.limits !== null) {
      const spent = await this.limits.hit(result.principal.keyId, routeId, rateLimit);
      refuseIfWaiting(response, spent.retryAfterSeconds);
      response.setHeader('X-RateLimit-Limit', spent.limit);
      response.setHeader('X-RateLimit-Remaining', Math.max(0, spent.limit - spent.hits));
      response.setHeader('X-RateLimit-Reset', spent.resetSeconds);
    }
    const decision = can(result.principal, permission);
    if (!decision.allowed) {
      await this.denials.record({
        principal: result.principal,
        origin: requestOriginOf(request),
        action: permission,
        resource: { type: 'route', id: routeOf(request) },
        status: 403,
        reason: decision.reason,
      });
      throw new DomainError(403, 'forbidden', decision.reason);
    }
    request.principal = result.principal;
    return true;
  }

  /**
   * The route's @Public and @RequirePermission, read through the Reflector once per handler:
   * decorators are fixed once the app is built, and the lookups cost on every request.
   */
  private routeAuth(context: ExecutionContext): RouteAuth {
    const handler = context.getHandler();
    const classRef = context.getClass();
    const cached = this.routes.get(handler);
    if (cached !== undefined && cached.classRef === classRef) return cached;
    const targets = [handler, classRef];
    const found: RouteAuth = {
      classRef,
      isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
      permission: this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets),
      routeId: `${(classRef as { name?: string }).name ?? 'route'}.${handler.name}`,
      rateLimit: this.reflector.getAllAndOverride<number | undefined>(RATE_LIMIT_KEY, targets),
    };
    this.routes.set(handler, found);
    return found;
  }

  private isOperationalPath(path: string): boolean {
    return this.options.operationalPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  }
}

/** 429 with Retry-After when a budget is spent (`seconds` > 0). */
function refuseIfWaiting(response: Response, seconds: number): void {
  if (seconds <= 0) return;
  response.setHeader('Retry-After', seconds);
  throw new DomainError(429, 'rate_limited', `too many requests; retry after ${seconds} s`);
}
