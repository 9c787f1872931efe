import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted and `undefined` members dropped, so two equal inputs always
 * serialise to the same bytes whatever order their keys were built in. Written directly
 * rather than through a sorted copy and JSON.stringify: every decision of a pass digests its
 * inputs, and the copy was most of the cost. The bytes are the same as
 * `JSON.stringify(sortedCopy)` (see canonical-json.spec.ts), except that integer-like keys
 * sort as text too, where a JavaScript object would list them first in numeric order.
 */
export function canonicalJson(value: unknown): string {
  sawUnfrozen = false;
  return write(value, new Set());
}

/**
 * Canonical text of frozen objects whose every nested object is frozen too: such a value can
 * never change, so it is written once. A scheduler pass digests the whole fleet, thousands of
 * running jobs included, and most of them are the same (frozen) entries pass after pass.
 */
const frozenText = new WeakMap<object, string>();
/** Whether an object of the subtree being written is not frozen (so the subtree may change). */
let sawUnfrozen = false;

// The one-shot form: no Hash object per digest (every decision digests its inputs).
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** Digests of deeply frozen values, which never change (see `frozenText`). */
const frozenDigest = new WeakMap<object, string>();

/**
 * One digest for a long list: the digest of its items' digests, in order. Equal lists give
 * equal digests, and a deeply frozen item is hashed once however many lists hold it, where
 * `digestOf(list)` would hash the whole list's text again each time.
 */
export function listDigest(items: readonly unknown[]): string {
  const digests = new Array<string>(items.length);
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i];
    const known = typeof item === 'object' && item !== null ? frozenDigest.get(item) : undefined;
    if (known !== undefined) {
      digests[i] = known;
      continue;
    }
    const digest = digestOf(item);
    if (typeof item === 'object' && item !== null && frozenText.has(item)) frozenDigest.set(item, digest);
    digests[i] = digest;
  }
  return sha256Hex(digests.join(','));
}

function write(value: unknown, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
      // Number-to-string is what JSON.stringify does for finite numbers (-0 included: "0").
      return String(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
  const frozen = Object.isFrozen(value);
  if (frozen) {
    const known = frozenText.get(value);
    if (known !== undefined) return known;
  }
  if (seen.has(value)) throw new TypeError('canonical JSON cannot hold a cycle');
  seen.add(value);
  const outer = sawUnfrozen;
  sawUnfrozen = !frozen;
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (i > 0) out += ',';
      out += item === undefined ? 'null' : write(item, seen);
    }
    out += ']';
  } else {
    out = '{';
    let first = true;
    for (const key of sortedKeys(value)) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += keyPrefix(key) + write(member, seen);
    }
    out += '}';
  }
  seen.delete(value);
  if (!sawUnfrozen) frozenText.set(value, out);
  sawUnfrozen ||= outer;
  return out;
}

/**
 * The keys of an object in sorted order. Objects of one shape (a snapshot's thousands of
 * running jobs, a pass's queued jobs) list their keys in the same order, so the sorted list is
 * kept per unsorted list; the lookup compares the lists key by key instead of sorting again.
 */
const sortedByShape = new Map<string, { keys: string[]; sorted: string[] }[]>();
const MAX_SHAPES = 512;

function sortedKeys(value: object): readonly string[] {
  const keys = Object.keys(value);
  if (keys.length < 2) return keys;
  const first = keys[0] as string;
  const known = sortedByShape.get(first);
  if (known) {
    for (const shape of known) if (sameList(shape.keys, keys)) return shape.sorted;
  }
  const sorted = [...keys].sort();
  if (sortedByShape.size < MAX_SHAPES && (known?.length ?? 0) < 8) {
    if (known) known.push({ keys, sorted });
    else sortedByShape.set(first, [{ keys, sorted }]);
  }
  return sorted;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** `"key":`, kept for the keys seen most (a bounded set: keys come from code, not from users). */
const prefixes = new Map<string, string>();
const MAX_PREFIXES = 4_096;

function keyPrefix(key: string): string {
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(key)}:`;
    if (prefixes.size < MAX_PREFIXES) prefixes.set(key, prefix);
  }
  return prefix;
}
