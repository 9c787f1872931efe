import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { DEFAULT_OPERATIONAL_PATHS, apiKeyPrefix } from '@voxelfleet/auth';
import type { Request, Response } from 'express';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

/**
 * Per API key rate limiting (per source IP for calls without a well-formed key), before
 * authentication so a flood of bad keys costs no database reads. Keyed by the key's visible
 * prefix and the route, as the limit always was; the store is in memory, so the limit is per
 * gateway process. Answers carry X-RateLimit-Limit/-Remaining/-Reset; a refusal is 429 with
 * Retry-After. Operational routes (health, metrics, docs) are not limited: probes must
 * always answer.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: SlidingWindowLimiter;
  /** "Controller.handler" per handler, built once instead of on every request. */
  private readonly routeIds = new WeakMap<object, string>();

  constructor(@Inject(GATEWAY_SETTINGS) settings: GatewaySettings) {
    this.limiter = new SlidingWindowLimiter(settings.rateLimit.limit, settings.rateLimit.windowMs);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (isOperational(req.path)) return true;
    const res = http.getResponse<Response>();
    const decision = this.limiter.hit(`${this.routeId(context)} ${trackerOf(req)}`);
    if (!decision.allowed) {
      res.setHeader('Retry-After', decision.retryAfterSeconds);
      throw new ThrottlerException();
    }
    res.setHeader('X-RateLimit-Limit', this.limiter.limit);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, this.limiter.limit - decision.hits));
    res.setHeader('X-RateLimit-Reset', decision.resetSeconds);
    return true;
  }

  private routeId(context: ExecutionContext): string {
    const handler = context.getHandler();
    let id = this.routeIds.get(handler);
    if (id === undefined) {
      id = `${context.getClass().name}.${handler.name}`;
      this.routeIds.set(handler, id);
    }
    return id;
  }
}

function trackerOf(req: Request): string {
  const authorization = req.headers.authorization;
  const bearer = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  const prefix = bearer === undefined ? undefined : apiKeyPrefix(bearer);
  return prefix !== undefined ? `key:${prefix}` : `ip:${typeof req.ip === 'string' ? req.ip : 'unknown'}`;
}

const OPERATIONAL_SUBPATHS = DEFAULT_OPERATIONAL_PATHS.map((prefix) => `${prefix}/`);

function isOperational(path: string): boolean {
  return (
    DEFAULT_OPERATIONAL_PATHS.some((prefix) => path === prefix) ||
    OPERATIONAL_SUBPATHS.some((prefix) => path.startsWith(prefix))
  );
}
