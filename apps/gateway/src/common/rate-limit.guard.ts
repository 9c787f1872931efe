import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { DEFAULT_OPERATIONAL_PATHS, apiKeyPrefix } from '@voxelfleet/auth';

/**
 * Per API key rate limiting (per source IP for calls without a well-formed key), before
 * authentication so a flood of bad keys costs no database reads. Keyed by the key's visible
 * prefix: one key's budget is shared by every gateway process that sees it only when the
 * throttler storage is shared; with the default in-memory storage the limit is per process.
 * Operational routes (health, metrics, docs) are not limited: probes must always answer.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const headers = req.headers as Record<string, string | undefined>;
    const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    const prefix = bearer === undefined ? undefined : apiKeyPrefix(bearer);
    return Promise.resolve(
      prefix !== undefined ? `key:${prefix}` : `ip:${typeof req.ip === 'string' ? req.ip : 'unknown'}`,
    );
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return Promise.resolve(true);
    const path = context.switchToHttp().getRequest<{ path: string }>().path;
    return Promise.resolve(
      DEFAULT_OPERATIONAL_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
    );
  }
}
