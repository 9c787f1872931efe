import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CanonicalJsonError, canonicalJson } from './canonical-json.js';

function shuffledCopy(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item: unknown, i) => shuffledCopy(item, seed + i));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  // Rotate by a seed-dependent amount so insertion order differs from the original.
  const shift = entries.length === 0 ? 0 : seed % entries.length;
  const rotated = [...entries.slice(shift), ...entries.slice(0, shift)].reverse();
  return Object.fromEntries(rotated.map(([k, v]) => [k, shuffledCopy(v, seed + 1)]));
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}',
    );
  });

  it('gives the same bytes whatever order keys were inserted in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        expect(canonicalJson(shuffledCopy(value, seed))).toBe(canonicalJson(value));
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips through JSON.parse to the same canonical text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('spells numbers, -0, Dates and null one way', () => {
    expect(canonicalJson([-0, 1e21, 0.1, 5e-324, null])).toBe('[0,1e+21,0.1,5e-324,null]');
    expect(canonicalJson({ at: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)) })).toBe(
      '{"at":"2025-01-02T03:04:05.006Z"}',
    );
  });

  it.each([
    ['undefined member', { a: undefined }, '$.a'],
    ['undefined in an array', [1, undefined], '$[1]'],
    ['function', { f: () => 1 }, '$.f'],
    ['NaN', { n: { m: Number.NaN } }, '$.n.m'],
    ['Infinity', [Infinity], '$[0]'],
    ['bigint', { b: 1n }, '$.b'],
    ['symbol', { s: Symbol('x') }, '$.s'],
    ['Map', { m: new Map() }, '$.m'],
    ['invalid Date', { d: new Date('nope') }, '$.d'],
  ])('rejects a %s with the path of the bad value', (_name, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(path);
  });

  it('names the exact path of a value deep in arrays and objects', () => {
    const bad = { ok: [1, 2], a: [{ b: [1, Number.NaN] }] };
    expect(() => canonicalJson(bad)).toThrow(expect.objectContaining({ path: '$.a[0].b[1]' }));
    expect(() => canonicalJson({ '[0]': undefined })).toThrow(expect.objectContaining({ path: '$.[0]' }));
  });

  it('rejects cycles but allows the same object twice', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow('cycle');
  });
});
