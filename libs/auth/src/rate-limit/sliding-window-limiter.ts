/**
 * Per-key request limiting with the semantics the gateway has always had: a sliding log of
 * accepted hits, each alive for `windowMs`; the hit that takes a key past `limit` blocks it
 * for `blockMs`, and a blocked key records no hits; once the block ends the log starts over.
 *
 * The log of one key is a queue of expiry times, ascending because time only moves forward,
 * so expired hits leave from the front: O(1) amortised per request, where filtering the whole
 * log (what the library store did) costs O(hits in the window) and an array per request.
 */
export interface LimitDecision {
  allowed: boolean;
  /** Accepted hits in the window, this one included. */
  hits: number;
  /** Seconds until the window resets (X-RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds until a blocked key is let through again (Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

interface KeyState {
  /** Expiry times of the accepted hits; live ones are expiries[head..]. */
  expiries: number[];
  head: number;
  windowEndsAt: number;
  blockedUntil: number;
}

export class SlidingWindowLimiter {
  private readonly keys = new Map<string, KeyState>();
  private lastSweep: number;

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly blockMs: number = windowMs,
    private readonly clock: () => number = Date.now,
  ) {
    this.lastSweep = clock();
  }

  hit(key: string): LimitDecision {
    const now = this.clock();
    if (now - this.lastSweep >= this.windowMs) this.sweep(now);
    let state = this.keys.get(key);
    if (state === undefined) {
      state = { expiries: [], head: 0, windowEndsAt: now + this.windowMs, blockedUntil: 0 };
      this.keys.set(key, state);
    }
    dropExpired(state, now);
    if (state.windowEndsAt <= now) state.windowEndsAt = now + this.windowMs;
    if (state.blockedUntil !== 0 && state.blockedUntil <= now) {
      // The block is over: the key starts with an empty log.
      state.blockedUntil = 0;
      state.expiries = [];
      state.head = 0;
    }
    if (state.blockedUntil === 0) {
      state.expiries.push(now + this.windowMs);
      if (state.expiries.length - state.head > this.limit) state.blockedUntil = now + this.blockMs;
    }
    const hits = state.expiries.length - state.head;
    const resetSeconds = Math.ceil((state.windowEndsAt - now) / 1000);
    if (state.blockedUntil !== 0) {
      return {
        allowed: false,
        hits,
        resetSeconds,
        retryAfterSeconds: Math.ceil((state.blockedUntil - now) / 1000),
      };
    }
    return { allowed: true, hits, resetSeconds, retryAfterSeconds: 0 };
  }

  /** Seconds until a blocked key is let through again; 0 when it is not blocked. Records nothing. */
  blockedFor(key: string): number {
    const blockedUntil = this.keys.get(key)?.blockedUntil ?? 0;
    const now = this.clock();
    return blockedUntil > now ? Math.ceil((blockedUntil - now) / 1000) : 0;
  }

  /** Forgets keys with nothing live, so one-off callers do not accumulate. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, state] of this.keys) {
      dropExpired(state, now);
      const blocked = state.blockedUntil > now;
      if (!blocked && state.windowEndsAt <= now && state.head === state.expiries.length)
        this.keys.delete(key);
    }
  }
}

function dropExpired(state: KeyState, now: number): void {
  const { expiries } = state;
  while (state.head < expiries.length && (expiries[state.head] as number) <= now) state.head += 1;
  // Compact now and then so the array does not keep every hit since the key was first seen.
  if (state.head > 1024 && state.head * 2 > expiries.length) {
    state.expiries = expiries.slice(state.head);
    state.head = 0;
  }
}
