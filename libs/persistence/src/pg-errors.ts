/** Whether a string is a UUID; a malformed id is just an id that does not exist. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** Postgres unique-violation, for turning a duplicate name into a 409. */
export function isUniqueViolation(error: unknown): boolean {
  return hasPgCode(error, '23505');
}

/** Postgres foreign-key violation: rows elsewhere still need this one. */
export function isForeignKeyViolation(error: unknown): boolean {
  return hasPgCode(error, '23503');
}

/** The SQLSTATE of a pg error, whether raw or wrapped by TypeORM. */
function hasPgCode(error: unknown, code: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { code?: unknown }).code === code ||
      (error as { driverError?: { code?: unknown } }).driverError?.code === code)
  );
}
