/**
 * One value recomputed at most every `ttlMs`; concurrent readers share one load. The gateway
 * uses it for data read on every request that changes rarely (tenant policies, usage, node
 * admin states): writes through this process invalidate at once, other processes' writes show
 * within the TTL plus one load.
 *
 * Once a value has expired, readers still get it at once while one reload runs in the
 * background (stale-while-revalidate), so no request waits on the database because a TTL ran
 * out. A value older than `maxStaleMs` is not served: readers then wait for the load (and see
 * its error), so a database that stays down is not hidden.
 */
export class TtlCache<T> {
  private value?: { data: T; loadedAt: number };
  private pending?: Promise<T>;
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
    private readonly clock: () => number = Date.now,
    private readonly maxStaleMs: number = Math.max(5 * ttlMs, 5_000),
  ) {}

  async get(): Promise<T> {
    const now = this.clock();
    const value = this.value;
    if (value !== undefined && now - value.loadedAt < this.ttlMs) return value.data;
    const reload = this.pending ?? this.startLoad(now);
    if (value !== undefined && now - value.loadedAt < this.maxStaleMs) {
      // The reload's failure is kept for readers that wait on it, not thrown here.
      reload.catch(() => undefined);
      return value.data;
    }
    return reload;
  }

  invalidate(): void {
    this.generation += 1;
    this.value = undefined;
    this.pending = undefined;
  }

  private startLoad(now: number): Promise<T> {
    const generation = this.generation;
    const pending = this.load().then(
      (data) => {
        // A load that started before an invalidation must not be cached as fresh.
        if (generation === this.generation) this.value = { data, loadedAt: now };
        if (this.pending === pending) this.pending = undefined;
        return data;
      },
      (error: unknown) => {
        if (this.pending === pending) this.pending = undefined;
        throw error;
      },
    );
    this.pending = pending;
    return pending;
  }
}
