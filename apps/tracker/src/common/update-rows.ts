/**
 * TypeORM's raw query() answers an UPDATE or DELETE with [rows, affected] and anything else
 * with the rows; this gives the rows either way.
 */
export function updatedRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
