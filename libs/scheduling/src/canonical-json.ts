import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted and `undefined` members dropped, so two equal inputs always
 * serialise to the same bytes whatever order their keys were built in. Written directly
 * rather than through a sorted copy and JSON.stringify: every decision of a pass digests its
 * inputs, and the copy was most of the cost. The bytes are the same as
 * `JSON.stringify(sortedCopy)` (see canonical-json.spec.ts).
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
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
  if (seen.has(value)) throw new TypeError('canonical JSON cannot hold a cycle');
  seen.add(value);
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
  return out;
}
