import type { ThrottlerStorage } from '@nestjs/throttler';

export interface RequestLimitOptions {
  /** Requests per key and route (REST) or event (socket) in one window. */
  limit: number;
  windowMs: number;
  /** Failed authentications per source address in one window; default `limit`. */
  failedAuthLimit?: number;
  /**
   * Redis that every instance of the app shares, so a budget holds across them (the
   * @nestjs/throttler Redis store); without it the counts are the process's own.
   */
  redisUrl?: string;
  /** Keeps apps and deployments that share one Redis apart (e.g. the queue prefix). */
  keyPrefix?: string;
}

export interface LimitDecision {
  allowed: boolean;
  /** Hits in the window, this one included. */
  hits: number;
  /** The budget that applied. */
  limit: number;
  /** Seconds until the window resets (X-RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds until a blocked key is let through again (Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * The two budgets of every authenticated surface (REST routes and socket events alike),
 * counted by @nestjs/throttler's storage: fixed windows, and a budget spent past its limit is
 * blocked for a window. A key's budget is spent only by requests that authenticated with that
 * key: the key's prefix is public (listings, the audit log), so counting a request by the
 * prefix it claims would let anyone lock a victim's key out with wrong secrets. Failed
 * authentications spend their source address's budget instead, and once that is gone the
 * address is refused before any database read.
 */
export class RequestLimits {
  /** Source addresses this process knows to be blocked, until when (epoch ms). */
  private readonly blockedSources = new Map<string, number>();
  private readonly failedAuthLimit: number;

  constructor(
    private readonly options: RequestLimitOptions,
    private readonly storage: ThrottlerStorage & { close?(): void },
    private readonly clock: () => number = Date.now,
  ) {
    this.failedAuthLimit = options.failedAuthLimit ?? options.limit;
  }

  get limit(): number {
    return this.options.limit;
  }

  /**
   * Seconds a source must wait after too many failed authentications; 0 when it may try.
   * Answered from the blocks this process has seen, without a round trip, since it runs before
   * every authentication: an address blocked through another instance is refused here from
   * its next failure on this one.
   */
  sourceBlockedFor(source: string | null): number {
    const key = sourceKey(source);
    const until = this.blockedSources.get(key) ?? 0;
    const now = this.clock();
    if (until <= now) {
      if (until !== 0) this.blockedSources.delete(key);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }

  /** Counts one failed authentication against its source address (never against a key). */
  async failed(source: string | null): Promise<void> {
    const key = sourceKey(source);
    const record = await this.storage.increment(
      key,
      this.options.windowMs,
      this.failedAuthLimit,
      this.options.windowMs,
      `failed-auth-${this.failedAuthLimit}`,
    );
    if (record.isBlocked) this.blockedSources.set(key, this.clock() + record.timeToBlockExpire * 1000);
  }

  /**
   * Counts one authenticated request against its key on one route or event; `limit` is the
   * route's own budget when it has one. Budgets of different sizes are counted apart, so an
   * instance configured with a smaller one does not block another's larger one.
   */
  async hit(keyId: string, route: string, limit = this.options.limit): Promise<LimitDecision> {
    const record = await this.storage.increment(
      `${route} ${keyId}`,
      this.options.windowMs,
      limit,
      this.options.windowMs,
      `key-${limit}`,
    );
    return {
      allowed: !record.isBlocked,
      hits: record.totalHits,
      limit,
      resetSeconds: record.timeToExpire,
      retryAfterSeconds: record.isBlocked ? Math.max(1, record.timeToBlockExpire) : 0,
    };
  }

  /** Lets go of the storage's connection or timers. */
  close(): void {
    this.storage.close?.();
  }
}

/**
 * RequestLimits on @nestjs/throttler's storage: its Redis store (@nest-lab) when the options
 * name a Redis, else its in-memory store. Loaded on demand: both are CommonJS packages that
 * require Nest's ES modules, which Node 20 does and Jest's module loader does not, so a test
 * that imports this library without limits does not load them.
 */
export async function createRequestLimits(options: RequestLimitOptions): Promise<RequestLimits> {
  if (options.redisUrl === undefined) {
    const { ThrottlerStorageService } = await import('@nestjs/throttler');
    const memory = new ThrottlerStorageService();
    return new RequestLimits(options, {
      increment: memory.increment.bind(memory),
      close: () => memory.onApplicationShutdown(),
    });
  }
  const { ThrottlerStorageRedisService } = await import('@nest-lab/throttler-storage-redis');
  const redis = new ThrottlerStorageRedisService(options.redisUrl, {
    keyPrefix: `${options.keyPrefix ?? 'voxelfleet'}:rate-limit:`,
    // A request waits for its count rather than failing while Redis reconnects.
    maxRetriesPerRequest: null,
  });
  return new RequestLimits(options, {
    increment: redis.increment.bind(redis),
    close: () => redis.onModuleDestroy(),
  });
}

function sourceKey(source: string | null): string {
  return `ip:${source ?? 'unknown'}`;
}
