/**
 * A deep copy with every object in it frozen. The scheduling library writes the canonical
 * JSON of deeply frozen values once and reuses it, so a snapshot assembled from frozen parts
 * digests without re-serialising the fleet on every request.
 */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
