/**
 * Canonical JSON for hashing audit entries: object keys sorted, no whitespace, one spelling
 * per value. Anything JSON.stringify would silently drop or mangle (undefined, functions,
 * NaN, Map, class instances) is rejected instead, because a value that does not survive a
 * round trip through Postgres jsonb would make a stored entry fail verification later.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export class CanonicalJsonError extends TypeError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`canonical JSON: ${message} at ${path}`);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: unknown): string {
  try {
    return write(value, new Set());
  } catch (error) {
    if (error instanceof Refusal)
      throw new CanonicalJsonError(error.message, `$${error.segments.reverse().join('')}`);
    throw error;
  }
}

/**
 * A refused value on its way up: each level adds its key or index, so the path is only built
 * when something is refused (building it for every member was much of the cost of an entry).
 */
class Refusal extends Error {
  readonly segments: string[] = [];
}

function write(value: unknown, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Refusal(`${value} is not a finite number`);
      // -0 would come back from jsonb as 0; spell it 0 from the start.
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'object':
      if (value === null) return 'null';
      return writeObject(value, seen);
    default:
      throw new Refusal(`${typeof value} is not JSON`);
  }
}

function writeObject(value: object, seen: Set<object>): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Refusal('invalid Date');
    return JSON.stringify(value.toISOString());
  }
  if (seen.has(value)) throw new Refusal('cycle');
  seen.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      out += member(value[i], i, seen);
    }
    out += ']';
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new Refusal(`${kind} is not a plain object`);
    }
    const record = value as Record<string, unknown>;
    out = '{';
    let first = true;
    for (const key of sortedKeys(record)) {
      if (!first) out += ',';
      first = false;
      out += `${JSON.stringify(key)}:${member(record[key], key, seen)}`;
    }
    out += '}';
  }
  seen.delete(value);
  return out;
}

/** The keys in code-unit order; objects built with their keys in that order skip the sort. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i += 1) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  }
  return keys;
}

/** A member's text; a refusal below it gains the member's place (index or key) in the path. */
function member(value: unknown, place: number | string, seen: Set<object>): string {
  try {
    return write(value, seen);
  } catch (error) {
    if (error instanceof Refusal) error.segments.push(typeof place === 'number' ? `[${place}]` : `.${place}`);
    throw error;
  }
}
