/**
 * Text as Postgres stores it. The driver encodes a string as UTF-8, which turns an unpaired
 * UTF-16 surrogate into U+FFFD, and `text`/`jsonb` refuse NUL outright. An entry hashed with
 * the text as given would then never verify against its own row (and a NUL would fail the
 * insert), so every string of an entry, keys included, is put in this form before it is both
 * hashed and stored: NUL and unpaired surrogates become U+FFFD.
 */
// eslint-disable-next-line no-control-regex -- NUL is one of the units replaced
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- NUL is one of the units replaced
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storedText(text: string): string {
  return SUSPECT.test(text) ? text.replace(UNSTORABLE, '\uFFFD') : text;
}

/** A JSON-like value with every string and key in stored form; the same object when nothing changes. */
export function storedForm<T>(value: T): T {
  if (typeof value === 'string') return storedText(value) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((item: unknown, i) => {
      const stored = storedForm(item);
      if (stored !== item) (out ??= [...(value as unknown[])])[i] = stored;
    });
    return (out ?? value) as T;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const storedKey = storedText(key);
    const stored = storedForm(item);
    if (storedKey !== key || stored !== item) changed = true;
    out[storedKey] = stored;
  }
  return (changed ? out : value) as T;
}
