import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted and `undefined` members dropped, so two equal inputs always
 * serialise to the same bytes whatever order their keys were built in. Written directly
 * rather than through a sorted copy and JSON.stringify: every decision of a pass digests its
 * inputs, and the copy was most of the cost. The bytes are the same as
 * `JSON.stringify(sortedCopy)` (see canonical-json.spec.ts).
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

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
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
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += `${JSON.stringify(key)}:${write(member, seen)}`;
    }
    out += '}';
  }
  seen.delete(value);
  if (!sawUnfrozen) frozenText.set(value, out);
  sawUnfrozen ||= outer;
  return out;
}
