import type { JsonObject, JsonValue } from './canonical-json.js';
import { canonicalJson } from './canonical-json.js';
import { REDACTED, isSecretKey, scrubSecrets, toJsonValue } from './secret-scrubber.js';

/**
 * One changed field. A side that is missing means the field was absent on that side, which
 * is different from a field set to null.
 */
export interface FieldChange {
  before?: JsonValue;
  after?: JsonValue;
}

/** Changed fields by dotted path (`vram.totalBytes`); arrays are compared and shown whole. */
export type AuditDiff = Record<string, FieldChange>;

/**
 * The fields that differ between two versions of a policy or quota. Values are compared
 * before redaction, so a rotated credential shows as changed, and written after it, so
 * neither the old nor the new credential reaches the log. Empty when nothing changed.
 */
export function diffOf(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): AuditDiff {
  const changes: [string, FieldChange][] = [];
  // A missing side (creation, deletion) diffs as an empty object so each field is listed.
  walk(toJsonValue(before ?? {}), toJsonValue(after ?? {}), '', false, changes);
  // fromEntries keeps a path named __proto__ an ordinary member.
  return Object.fromEntries(changes);
}

/** The diff as the audit entry stores it: null rather than an empty object when nothing changed. */
export function auditDiffOf(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): JsonObject | null {
  const diff = diffOf(before, after);
  return Object.keys(diff).length === 0 ? null : (diff as JsonObject);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function member(record: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function walk(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: string,
  secret: boolean,
  out: [string, FieldChange][],
): void {
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) {
      const child = path === '' ? key : `${path}.${key}`;
      // Own members only: a field named like an Object.prototype method is still just a field.
      walk(member(before, key), member(after, key), child, secret || isSecretKey(key), out);
    }
    return;
  }
  if (before !== undefined && after !== undefined && canonicalJson(before) === canonicalJson(after)) return;
  const shown = (value: JsonValue): JsonValue => (secret ? REDACTED : scrubSecrets(value));
  const change: FieldChange = {};
  if (before !== undefined) change.before = shown(before);
  if (after !== undefined) change.after = shown(after);
  out.push([path, change]);
}
