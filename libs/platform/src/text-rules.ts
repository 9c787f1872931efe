/**
 * What every string a client sends must be, decided once for all routes and socket events:
 * text that Postgres stores exactly as given. A NUL (U+0000) is refused by `text` and `jsonb`
 * alike (the insert fails, which surfaced as a 500), and an unpaired UTF-16 surrogate is
 * written as U+FFFD, so what is stored (and hashed into the audit chain) would differ from
 * what was checked. Both are refused, in object keys as well as values, and so is nesting
 * deeper than MAX_INPUT_DEPTH (a depth bomb costs stack in every walk that follows).
 */
export const MAX_INPUT_DEPTH = 32;

export interface TextProblem {
  /** Where, as a field path: `name`, `inputs.a[3]`; empty for the value itself. */
  path: string;
  message: string;
}

// One scan finds candidates; paired surrogates (emoji and other astral characters) are fine.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** The first reason `text` cannot be stored as given, or null. */
export function textProblem(text: string): string | null {
  if (!SUSPECT.test(text)) return null;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit === 0) return 'must not contain NUL (U+0000) characters';
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return 'must not contain unpaired UTF-16 surrogates';
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return 'must not contain unpaired UTF-16 surrogates';
  }
  return null;
}

/** Walks a parsed value (JSON-like) and reports the first string, key or depth that is refused. */
export function findTextProblem(value: unknown, path = '', maxDepth = MAX_INPUT_DEPTH): TextProblem | null {
  return walk(value, path, 0, maxDepth);
}

function walk(value: unknown, path: string, depth: number, maxDepth: number): TextProblem | null {
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message === null ? null : { path, message };
  }
  // Binary (socket.io delivers uploads as Buffers) holds no text.
  if (
    value === null ||
    typeof value !== 'object' ||
    ArrayBuffer.isView(value) ||
    value instanceof ArrayBuffer
  )
    return null;
  if (depth >= maxDepth) return { path, message: `must not nest deeper than ${maxDepth} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (item === null || (typeof item !== 'object' && typeof item !== 'string')) continue;
      const problem = walk(item, `${path}[${i}]`, depth + 1, maxDepth);
      if (problem !== null) return problem;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyMessage = textProblem(key);
    if (keyMessage !== null) {
      const at = path === '' ? escaped(key) : `${path}.${escaped(key)}`;
      return { path: at, message: `(a key) ${keyMessage}` };
    }
    const at = path === '' ? key : `${path}.${key}`;
    const problem = walk((value as Record<string, unknown>)[key], at, depth + 1, maxDepth);
    if (problem !== null) return problem;
  }
  return null;
}

/** The key as it can be shown in an answer: refused code units spelled as \\uXXXX. */
function escaped(key: string): string {
  return key.replace(
    // eslint-disable-next-line no-control-regex -- NUL is one of the units spelled out
    /[\u0000\uD800-\uDFFF]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `path message`, as class-validator words its errors (`name must ...`). */
export function describeTextProblem(problem: TextProblem, fallback: string): string {
  const subject = problem.path === '' ? fallback : problem.path;
  return `${subject} ${problem.message}`;
}
