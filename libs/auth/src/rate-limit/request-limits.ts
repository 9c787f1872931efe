import { SlidingWindowLimiter, type LimitDecision } from './sliding-window-limiter.js';

export interface RequestLimitOptions {
  /** Requests per key and route (REST) or event (socket) in one window. */
  limit: number;
  windowMs: number;
  /** Failed authentications per source address in one window; default `limit`. */
  failedAuthLimit?: number;
}

/**
 * The two budgets of every authenticated surface (REST routes and socket events alike).
 * A key's budget is spent only by requests that authenticated with that key: the key's
 * prefix is public (listings, the audit log), so counting a request by the prefix it claims
 * would let anyone lock a victim's key out with wrong secrets. Failed authentications spend
 * their source address's budget instead, and once that is gone the address is refused before
 * any database read.
 */
export class RequestLimits {
  private readonly perKey: SlidingWindowLimiter;
  /** Routes with a budget of their own (@RateLimit), one limiter per distinct budget. */
  private readonly perKeyWith = new Map<number, SlidingWindowLimiter>();
  private readonly failures: SlidingWindowLimiter;

  constructor(
    private readonly options: RequestLimitOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.perKey = new SlidingWindowLimiter(options.limit, options.windowMs, options.windowMs, clock);
    this.failures = new SlidingWindowLimiter(
      options.failedAuthLimit ?? options.limit,
      options.windowMs,
      options.windowMs,
      clock,
    );
  }

  get limit(): number {
    return this.perKey.limit;
  }

  /** Seconds a source must wait after too many failed authentications; 0 when it may try. */
  sourceBlockedFor(source: string | null): number {
    return this.failures.blockedFor(sourceKey(source));
  }

  /** Counts one failed authentication against its source address (never against a key). */
  failed(source: string | null): void {
    this.failures.hit(sourceKey(source));
  }

  /**
   * Counts one authenticated request against its key on one route or event; `limit` is the
   * route's own budget when it has one. The decision's `limit` is the budget that applied.
   */
  hit(keyId: string, route: string, limit?: number): LimitDecision & { limit: number } {
    const limiter =
      limit === undefined || limit === this.options.limit ? this.perKey : this.limiterFor(limit);
    return { ...limiter.hit(`${route} ${keyId}`), limit: limiter.limit };
  }

  private limiterFor(limit: number): SlidingWindowLimiter {
    let limiter = this.perKeyWith.get(limit);
    if (limiter === undefined) {
      limiter = new SlidingWindowLimiter(limit, this.options.windowMs, this.options.windowMs, this.clock);
      this.perKeyWith.set(limit, limiter);
    }
    return limiter;
  }
}

function sourceKey(source: string | null): string {
  return `ip:${source ?? 'unknown'}`;
}
