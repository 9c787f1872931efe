import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson, digestOf, listDigest, sha256Hex } from './canonical-json.js';
import { deepFreeze } from './testing/deep-freeze.js';

/** The definition canonicalJson must match: a key-sorted copy without undefined members. */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object')
    return typeof value === 'bigint' ? value.toString() : value;
  if (Array.isArray(value))
    return value.map((item: unknown) => (item === undefined ? null : sortedCopy(item)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortedCopy(member);
  }
  return out;
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const leaf = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.string({ unit: 'binary' }),
  finite,
  fc.integer(),
  fc.bigInt(),
  fc.constant(-0),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 5 }),
  object: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('node'), { maxKeys: 5 }),
}));

describe('canonicalJson', () => {
  it('writes the same bytes as JSON.stringify of a key-sorted copy', () => {
    fc.assert(
      fc.property(tree.node, (value) => {
        if (value === undefined) return;
        expect(canonicalJson(value)).toBe(JSON.stringify(sortedCopy(value)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('is independent of the order keys were added in', () => {
    expect(canonicalJson({ b: [1, { z: 1, a: 2 }], a: 'x' })).toBe(
      canonicalJson({ a: 'x', b: [1, { a: 2, z: 1 }] }),
    );
  });

  it('sorts each key set on its own, however many objects share a first key', () => {
    const shapes = [
      { id: 1, z: 2, a: 3 },
      { id: 1, a: 3 },
      { id: 1, z: 2, a: 3, m: 4 },
      { id: 1, z: 2, b: 3 },
    ];
    for (let round = 0; round < 3; round += 1) {
      for (const value of shapes) expect(canonicalJson(value)).toBe(JSON.stringify(sortedCopy(value)));
      // Integer-like keys sort as text too (a JS object would list them first, in numeric order).
      expect(canonicalJson({ '10': 1, '9': 2, a: 3 })).toBe('{"10":1,"9":2,"a":3}');
      expect(canonicalJson({ '9': 2, '10': 1 })).toBe('{"10":1,"9":2}');
    }
  });

  it('refuses what JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow('Infinity');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('function');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('cycle');
  });
});

describe('canonicalJson of frozen values', () => {
  it('writes a deeply frozen value the same as its unfrozen twin, every time', () => {
    fc.assert(
      fc.property(tree.node, (value) => {
        if (value === undefined) return;
        const frozen = deepFreeze(structuredClone(value));
        expect(canonicalJson(frozen)).toBe(canonicalJson(value));
        expect(canonicalJson({ wrapped: [frozen, 1] })).toBe(canonicalJson({ wrapped: [value, 1] }));
      }),
      { numRuns: 500 },
    );
  });

  it('sees a change inside a frozen object that holds an unfrozen one', () => {
    const inner = { n: 1 };
    const outer = Object.freeze({ inner });
    expect(canonicalJson(outer)).toBe('{"inner":{"n":1}}');
    inner.n = 2;
    expect(canonicalJson(outer)).toBe('{"inner":{"n":2}}');
    expect(canonicalJson({ again: outer })).toBe('{"again":{"inner":{"n":2}}}');
  });
});

describe('listDigest', () => {
  it("is the digest of the items' digests, frozen items or not", () => {
    fc.assert(
      fc.property(fc.array(tree.node, { maxLength: 6 }), (items) => {
        const plain = items.map((item) => (item === undefined ? null : item));
        const expected = sha256Hex(plain.map((item) => digestOf(item)).join(','));
        expect(listDigest(plain)).toBe(expected);
        const frozen = plain.map((item) => deepFreeze(structuredClone(item)));
        expect(listDigest(frozen)).toBe(expected);
        expect(listDigest(frozen)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('sees a change to an item that is not deeply frozen', () => {
    const inner = { n: 1 };
    const item = Object.freeze({ inner });
    const before = listDigest([item]);
    inner.n = 2;
    expect(listDigest([item])).not.toBe(before);
  });
});
