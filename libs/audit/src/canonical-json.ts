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
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} is not a finite number`, path);
      // -0 would come back from jsonb as 0; spell it 0 from the start.
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'object':
      if (value === null) return 'null';
      return writeObject(value, path, seen);
    default:
      throw new CanonicalJsonError(`${typeof value} is not JSON`, path);
  }
}

function writeObject(value: object, path: string, seen: Set<object>): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new CanonicalJsonError('invalid Date', path);
    return JSON.stringify(value.toISOString());
  }
  if (seen.has(value)) throw new CanonicalJsonError('cycle', path);
  seen.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item: unknown, i) => write(item, `${path}[${i}]`, seen)).join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new CanonicalJsonError(`${kind} is not a plain object`, path);
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, seen)}`);
    out = `{${members.join(',')}}`;
  }
  seen.delete(value);
  return out;
}
