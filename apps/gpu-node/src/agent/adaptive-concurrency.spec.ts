import { describe, expect, it } from '@jest/globals';
import { nextConcurrency, type ConcurrencySample } from './adaptive-concurrency.js';
import { SlotGate } from './slot-gate.js';

const base: ConcurrencySample = {
  limit: 4,
  min: 1,
  max: 8,
  utilization: 0.5,
  queueWaitMs: 0,
  waiting: 0,
  peakRunning: 2,
};

describe('nextConcurrency', () => {
  it('lowers the limit on a saturated device, multiplicatively, not below min', () => {
    expect(nextConcurrency({ ...base, utilization: 0.97, limit: 8 })).toEqual({
      limit: 6,
      reason: 'saturated',
    });
    expect(nextConcurrency({ ...base, utilization: 0.97, limit: 1 })).toEqual({ limit: 1, reason: 'steady' });
    expect(nextConcurrency({ ...base, utilization: 0.97, limit: 2, min: 2 })).toEqual({
      limit: 2,
      reason: 'steady',
    });
  });

  it('raises it by one when jobs wait on the limit and the device has room', () => {
    const waiting = { ...base, queueWaitMs: 80, waiting: 3, peakRunning: 4 };
    expect(nextConcurrency(waiting)).toEqual({ limit: 5, reason: 'waiting-on-limit' });
    expect(nextConcurrency({ ...waiting, utilization: null })).toEqual({
      limit: 5,
      reason: 'waiting-on-limit',
    });
    expect(nextConcurrency({ ...waiting, limit: 8 })).toEqual({ limit: 8, reason: 'steady' });
  });

  it('holds when jobs wait but the device is already busy, or the limit was not reached', () => {
    expect(
      nextConcurrency({ ...base, queueWaitMs: 80, waiting: 3, peakRunning: 4, utilization: 0.8 }),
    ).toEqual({ limit: 4, reason: 'steady' });
    expect(nextConcurrency({ ...base, queueWaitMs: 80, waiting: 3, peakRunning: 2 })).toEqual({
      limit: 4,
      reason: 'steady',
    });
    expect(nextConcurrency({ ...base, queueWaitMs: 5, waiting: 3, peakRunning: 4 })).toEqual({
      limit: 4,
      reason: 'steady',
    });
  });

  it('clamps a limit outside min..max first', () => {
    expect(nextConcurrency({ ...base, limit: 12 })).toEqual({ limit: 8, reason: 'clamped' });
    expect(nextConcurrency({ ...base, limit: 0 })).toEqual({ limit: 1, reason: 'clamped' });
  });

  it('settles under a steady overload instead of oscillating', () => {
    // A device that saturates above 5 concurrent jobs.
    let limit = 1;
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      const utilization = Math.min(1, limit / 5.2);
      limit = nextConcurrency({
        ...base,
        limit,
        utilization,
        queueWaitMs: 100,
        waiting: 10,
        peakRunning: limit,
      }).limit;
      seen.push(limit);
    }
    const tail = seen.slice(-10);
    expect(Math.max(...tail)).toBeLessThanOrEqual(5);
    expect(Math.min(...tail)).toBeGreaterThanOrEqual(3);
  });
});

describe('SlotGate', () => {
  it('holds starts beyond the limit and lets them in as slots free or the limit grows', async () => {
    const gate = new SlotGate(1);
    await gate.acquire();
    let second = false;
    let third = false;
    void gate.acquire().then(() => (second = true));
    void gate.acquire().then(() => (third = true));
    await Promise.resolve();
    expect([second, third, gate.waiting]).toEqual([false, false, 2]);
    gate.setLimit(2);
    await Promise.resolve();
    expect([second, third]).toEqual([true, false]);
    gate.release();
    await Promise.resolve();
    expect(third).toBe(true);
    expect(gate.inUse).toBe(2);
    expect(gate.takePeak()).toBe(2);
  });

  it('never interrupts holders when the limit drops, and refuses waiters when draining', async () => {
    const gate = new SlotGate(3);
    await Promise.all([gate.acquire(), gate.acquire(), gate.acquire()]);
    gate.setLimit(1);
    expect(gate.inUse).toBe(3);
    const waiting = gate.acquire();
    gate.release();
    gate.release();
    gate.rejectWaiting(new Error('draining'));
    await expect(waiting).rejects.toThrow('draining');
  });
});
