import { describe, expect, it } from '@jest/globals';

import { DeviceOutOfMemoryError, QuotaExceededError } from '../errors.js';
import { HostBacking } from './backing.js';
import { VramPool, type Allocation } from './vram-pool.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function pool(opts: Partial<ConstructorParameters<typeof VramPool>[1]> = {}) {
  const backing = new HostBacking();
  const p = new VramPool(backing, { capacityBytes: 64 * MiB, slabBytes: 4 * MiB, zeroBatch: 4, ...opts });
  return { backing, p };
}

function overlaps(a: Allocation, b: Allocation): boolean {
  return a.address < b.address + b.size && b.address < a.address + a.size;
}

describe('VramPool on the host backing', () => {
  it('places best fit: the smallest free block that holds the request', () => {
    const { p } = pool({ zeroBatch: 1 });
    p.openJob('j', 't');
    const a = p.alloc('j', 100 * KiB);
    const gapSmall = p.alloc('j', 64 * KiB);
    const b = p.alloc('j', 100 * KiB);
    const gapLarge = p.alloc('j', 256 * KiB);
    p.alloc('j', 100 * KiB);
    p.release(gapLarge);
    p.release(gapSmall);
    // 60 KiB fits both holes; best fit takes the 64 KiB one.
    const c = p.alloc('j', 60 * KiB);
    expect(c.address).toBe(gapSmall.address);
    expect(a.address).toBeLessThan(b.address);
  });

  it('rounds to the alignment and never hands out overlapping blocks', () => {
    const { p } = pool();
    p.openJob('j', 't');
    const live: Allocation[] = [];
    let bad = 0;
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 2000; i++) {
      if (live.length && rnd() < 0.45) {
        p.release(live.splice(Math.floor(rnd() * live.length), 1)[0]!);
      } else {
        const a = p.alloc('j', 1 + Math.floor(rnd() * 300 * KiB));
        if (a.address % 256 !== 0 || a.size % 256 !== 0) bad++;
        for (const o of live) if (overlaps(a, o)) bad++;
        live.push(a);
      }
    }
    expect(bad).toBe(0);
    const used = live.reduce((s, a) => s + a.size, 0);
    expect(p.stats().usedBytes).toBe(used);
  });

  it('coalesces freed neighbours back into one block', () => {
    const { p } = pool({ zeroBatch: 1 });
    p.openJob('j', 't');
    const blocks = [1, 2, 3, 4].map(() => p.alloc('j', MiB));
    p.release(blocks[1]!);
    p.release(blocks[3]!);
    p.release(blocks[2]!);
    p.release(blocks[0]!);
    const s = p.stats();
    expect(s.freeBytes).toBe(4 * MiB);
    expect(s.largestFreeBytes).toBe(4 * MiB);
    expect(s.fragmentation).toBe(0);
    // The whole slab is one block again, so a slab-sized request fits without growing.
    const whole = p.alloc('j', 4 * MiB - 256);
    expect(whole.address).toBe(blocks[0]!.address);
    expect(p.stats().slabs).toBe(1);
  });

  it('measures fragmentation as 1 - largest free block / free bytes', () => {
    const { p } = pool({ zeroBatch: 1, trimThreshold: 1 });
    p.openJob('j', 't');
    const xs = Array.from({ length: 8 }, () => p.alloc('j', 512 * KiB));
    for (let i = 0; i < 8; i += 2) p.release(xs[i]!);
    const s = p.stats();
    expect(s.freeBytes).toBe(2 * MiB);
    expect(s.largestFreeBytes).toBe(512 * KiB);
    expect(s.fragmentation).toBeCloseTo(0.75, 10);
  });

  it('zeroes freed memory before anyone can allocate it again', () => {
    const { p, backing } = pool({ zeroBatch: 3 });
    p.openJob('j', 't');
    const a = p.alloc('j', 4096);
    backing.view(a.address, 4096).fill(0xab);
    p.release(a);
    // Still pending: the block is not reusable until the batch is zeroed.
    const b = p.alloc('j', 4096);
    expect(b.address).not.toBe(a.address);
    p.flush();
    const c = p.alloc('j', 4096);
    expect(c.address).toBe(a.address);
    expect(backing.view(c.address, 4096).every((x) => x === 0)).toBe(true);
  });

  it('batches zeroing into one backing call per batch', () => {
    const { p, backing } = pool({ zeroBatch: 8 });
    p.openJob('j', 't');
    const xs = Array.from({ length: 16 }, () => p.alloc('j', 1000));
    const before = backing.zeroCalls;
    for (const x of xs) p.release(x);
    expect(backing.zeroCalls - before).toBe(2);
  });

  it('enforces tenant quotas with a soft-OOM error and leaves other tenants alone', () => {
    const { p } = pool();
    p.setTenantQuota('small', MiB);
    p.openJob('a', 'small');
    p.openJob('b', 'big');
    p.alloc('a', 768 * KiB);
    expect(() => p.alloc('a', 512 * KiB)).toThrow(QuotaExceededError);
    try {
      p.alloc('a', 512 * KiB);
    } catch (e) {
      expect((e as QuotaExceededError).code).toBe('SOFT_OOM');
      expect((e as QuotaExceededError).tenant).toBe('small');
    }
    expect(p.alloc('b', 8 * MiB).size).toBe(8 * MiB);
    expect(p.alloc('a', 256 * KiB).size).toBe(256 * KiB);
    expect(p.stats().tenants.small!.softOoms).toBe(2);
  });

  it('fails with a hard OOM when the pool capacity is exhausted', () => {
    const { p } = pool({ capacityBytes: 8 * MiB });
    p.openJob('j', 't');
    p.alloc('j', 3 * MiB);
    p.alloc('j', 3 * MiB);
    expect(() => p.alloc('j', 3 * MiB)).toThrow(DeviceOutOfMemoryError);
    expect(p.stats().hardOoms).toBe(1);
  });

  it('holds a reservation for its job against other jobs and the quota', () => {
    const { p } = pool({ capacityBytes: 8 * MiB, slabBytes: 8 * MiB });
    p.setTenantQuota('t', 6 * MiB);
    p.openJob('big', 't', { peakBytes: 6 * MiB });
    expect(p.stats().reservedBytes).toBe(6 * MiB);
    // Same tenant: the reservation already uses its whole quota.
    p.openJob('other', 't');
    expect(() => p.alloc('other', 256 * KiB)).toThrow(QuotaExceededError);
    // Another tenant: only the 2 MiB outside the reservation are available.
    p.openJob('x', 'u');
    p.alloc('x', 2 * MiB);
    expect(() => p.alloc('x', 256 * KiB)).toThrow(DeviceOutOfMemoryError);
    // The reserving job gets its peak.
    p.alloc('big', 3 * MiB);
    p.alloc('big', 3 * MiB);
    expect(p.stats().reservedBytes).toBe(0);
    expect(() => p.openJob('late', 'u', { peakBytes: 4 * MiB })).toThrow(DeviceOutOfMemoryError);
  });

  it('frees what a job still holds when it closes, and reports it as leaked', () => {
    const { p } = pool();
    p.openJob('j', 't');
    const kept = p.alloc('j', 1000, 'frames');
    p.release(p.alloc('j', 2000));
    const report = p.closeJob('j');
    expect(report.leaked).toEqual([{ id: kept.id, bytes: 1000, label: 'frames' }]);
    expect(report.leakedBytes).toBe(1000);
    expect(p.stats().usedBytes).toBe(0);
    expect(p.stats().liveAllocations).toBe(0);
  });

  it('gives large requests a slab of their own and returns it on free', () => {
    const { p, backing } = pool();
    p.openJob('j', 't');
    const big = p.alloc('j', 10 * MiB);
    expect(backing.slabCount).toBe(1);
    p.release(big);
    expect(backing.slabCount).toBe(0);
    expect(p.stats().heldBytes).toBe(0);
  });

  it('rejects double frees', () => {
    const { p } = pool();
    p.openJob('j', 't');
    const a = p.alloc('j', 10);
    p.release(a);
    expect(() => p.release(a)).toThrow(/not live/);
  });
});
