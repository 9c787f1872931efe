import { describe, expect, it } from '@jest/globals';
import { frozenCopy } from './frozen-copy.js';

describe('frozenCopy', () => {
  it('copies deeply and freezes every level, leaving the source writable', () => {
    const source = { tenants: [{ id: 't', quota: { gpus: 2 } }], nowMs: 1 };
    const copy = frozenCopy(source);
    expect(copy).toEqual(source);
    expect(copy).not.toBe(source);
    expect(Object.isFrozen(copy)).toBe(true);
    expect(Object.isFrozen(copy.tenants)).toBe(true);
    expect(Object.isFrozen(copy.tenants[0])).toBe(true);
    expect(Object.isFrozen(copy.tenants[0]!.quota)).toBe(true);
    expect(() => {
      copy.tenants[0]!.quota.gpus = 3;
    }).toThrow(TypeError);
    source.tenants[0]!.quota.gpus = 4;
    expect(copy.tenants[0]!.quota.gpus).toBe(2);
  });
});
