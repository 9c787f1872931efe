import { describe, expect, it } from '@jest/globals';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { RequestLimits, type RequestLimitOptions } from './request-limits.js';

/**
 * @nestjs/throttler's storage contract as its stores keep it (fixed window; past the limit,
 * blocked for blockDuration, then counting starts over), on a clock the test moves. The real
 * stores are CommonJS requiring Nest's ES modules, which Jest cannot load on Node 20; the
 * e2e suites run them in the built apps.
 */
class WindowStorage implements ThrottlerStorage {
  private readonly records = new Map<string, { hits: number; expiresAt: number; blockedUntil: number }>();
  constructor(private readonly clock: () => number = Date.now) {}

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const now = this.clock();
    const id = `${key}:${throttlerName}`;
    let record = this.records.get(id);
    if (record === undefined || (record.expiresAt <= now && record.blockedUntil <= now)) {
      record = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.records.set(id, record);
    }
    record.hits += 1;
    if (record.blockedUntil <= now && record.hits > limit) record.blockedUntil = now + blockDuration;
    const isBlocked = record.blockedUntil > now;
    return Promise.resolve({
      totalHits: record.hits,
      timeToExpire: Math.ceil((record.expiresAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((record.blockedUntil - now) / 1000) : 0,
    });
  }
}

describe('RequestLimits', () => {
  const limits = (options: RequestLimitOptions, clock?: () => number) =>
    new RequestLimits(options, new WindowStorage(clock), clock);

  it('keeps failed authentications off every key budget and blocks their source instead', async () => {
    let now = 0;
    const limited = limits({ limit: 3, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 10; i += 1) await limited.failed('10.0.0.9');
    expect(limited.sourceBlockedFor('10.0.0.9')).toBe(60);
    expect(limited.sourceBlockedFor('10.0.0.1')).toBe(0);
    // The key the failures claimed to be still has its whole budget.
    expect(await limited.hit('key-1', 'Me.me')).toMatchObject({ allowed: true, hits: 1, limit: 3 });
    now = 60_001;
    expect(limited.sourceBlockedFor('10.0.0.9')).toBe(0);
  });

  it('spends a key budget per route, and a failure budget of its own size when given', async () => {
    const limited = limits({ limit: 2, windowMs: 1_000, failedAuthLimit: 1 });
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await limited.hit('k', 'A.a'));
    expect(answers.map((a) => a.allowed)).toEqual([true, true, false]);
    expect(answers[2]?.retryAfterSeconds).toBe(1);
    expect((await limited.hit('k', 'B.b')).allowed).toBe(true);
    await limited.failed(null);
    expect(limited.sourceBlockedFor(null)).toBe(0);
    await limited.failed(null);
    expect(limited.sourceBlockedFor(null)).toBe(1);
  });

  it("counts a route's own budget apart from the default one", async () => {
    const limited = limits({ limit: 100, windowMs: 60_000 });
    const small = [];
    for (let i = 0; i < 3; i += 1) small.push(await limited.hit('k', 'Ingest.frames', 2));
    expect(small.map((a) => [a.allowed, a.limit])).toEqual([
      [true, 2],
      [true, 2],
      [false, 2],
    ]);
    expect(await limited.hit('k', 'Ingest.frames')).toMatchObject({ allowed: true, hits: 1, limit: 100 });
  });

  it('shares counts between instances through one storage, as instances do through Redis', async () => {
    const storage = new WindowStorage();
    const options = { limit: 2, windowMs: 60_000, failedAuthLimit: 1 };
    const [a, b] = [new RequestLimits(options, storage), new RequestLimits(options, storage)];
    expect((await a.hit('k', 'A.a')).allowed).toBe(true);
    expect((await b.hit('k', 'A.a')).allowed).toBe(true);
    expect(await a.hit('k', 'A.a')).toMatchObject({ allowed: false, hits: 3 });
    await a.failed('10.0.0.7');
    await a.failed('10.0.0.7');
    // b has not seen the block yet; its next failure from the address tells it.
    expect(b.sourceBlockedFor('10.0.0.7')).toBe(0);
    await b.failed('10.0.0.7');
    expect(b.sourceBlockedFor('10.0.0.7')).toBe(60);
  });
});
