/**
 * One value recomputed at most every `ttlMs`; concurrent readers share one load. The gateway
 * uses it for data read on every request that changes rarely (tenant policies, node admin
 * states): writes through this process invalidate at once, other processes' writes show
 * within the TTL.
 */
export class TtlCache<T> {
  private value?: { data: T; loadedAt: number };
  private pending?: Promise<T>;
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(): Promise<T> {
    const now = this.clock();
    if (this.value !== undefined && now - this.value.loadedAt < this.ttlMs) return this.value.data;
    if (this.pending !== undefined) return this.pending;
    const generation = this.generation;
    const pending = this.load().then((data) => {
      // A load that started before an invalidation must not be cached as fresh.
      if (generation === this.generation) this.value = { data, loadedAt: now };
      return data;
    });
    this.pending = pending;
    try {
      return await pending;
    } finally {
      if (this.pending === pending) this.pending = undefined;
    }
  }

  invalidate(): void {
    this.generation += 1;
    this.value = undefined;
    this.pending = undefined;
  }
}
