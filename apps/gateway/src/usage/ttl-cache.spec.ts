import { describe, expect, it } from '@jest/globals';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('reuses a value within the TTL, then serves it once more while one reload runs', async () => {
    let now = 0;
    let loads = 0;
    let release: () => void = () => undefined;
    const cache = new TtlCache(
      1000,
      () => {
        loads += 1;
        const value = loads;
        return value === 1 ? Promise.resolve(value) : new Promise<number>((r) => (release = () => r(value)));
      },
      () => now,
    );
    expect(await cache.get()).toBe(1);
    now = 999;
    expect(await cache.get()).toBe(1);
    now = 1000;
    // Expired: the stale value comes back at once, and only one reload starts.
    expect(await cache.get()).toBe(1);
    expect(await cache.get()).toBe(1);
    expect(loads).toBe(2);
    release();
    await new Promise((r) => setImmediate(r));
    expect(await cache.get()).toBe(2);
  });

  it('does not serve a value older than maxStale: readers wait for the load and see its error', async () => {
    let now = 0;
    let fail = false;
    const cache = new TtlCache(
      1000,
      () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(now)),
      () => now,
      5000,
    );
    expect(await cache.get()).toBe(0);
    fail = true;
    now = 2000;
    expect(await cache.get()).toBe(0); // stale but young enough; the failed reload is not thrown here
    await new Promise((r) => setImmediate(r));
    now = 5000;
    await expect(cache.get()).rejects.toThrow('down');
    fail = false;
    expect(await cache.get()).toBe(5000);
  });

  it('shares one load between concurrent readers', async () => {
    let loads = 0;
    let release: (value: number) => void = () => undefined;
    const cache = new TtlCache(1000, () => {
      loads += 1;
      return new Promise<number>((resolve) => (release = resolve));
    });
    const both = Promise.all([cache.get(), cache.get()]);
    release(7);
    expect(await both).toEqual([7, 7]);
    expect(loads).toBe(1);
  });

  it('does not keep a load that raced an invalidation', async () => {
    let value = 1;
    let release: () => void = () => undefined;
    const cache = new TtlCache(60_000, () => {
      const seen = value;
      return new Promise<number>((resolve) => (release = () => resolve(seen)));
    });
    const stale = cache.get();
    cache.invalidate();
    value = 2;
    release();
    expect(await stale).toBe(1);
    const fresh = cache.get();
    release();
    expect(await fresh).toBe(2);
  });

  it('does not cache a failed load', async () => {
    let fail = true;
    const cache = new TtlCache(60_000, () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(3)));
    await expect(cache.get()).rejects.toThrow('down');
    fail = false;
    expect(await cache.get()).toBe(3);
  });
});
