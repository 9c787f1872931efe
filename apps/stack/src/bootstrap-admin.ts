import { apiKeyPrefix, generateApiKey, hashApiKey } from '@voxelfleet/auth';
import { principalStore } from '@voxelfleet/persistence';
import type { DataSource } from 'typeorm';

export type BootstrapOutcome = { created: true; key: string; generated: boolean } | { created: false };

const ADMIN_NAME = 'bootstrap-admin';

/**
 * Makes sure a platform admin exists on a fresh database. Its key is either the one given
 * (automation) or a new one, shown once by the caller; only the hash is stored.
 */
export async function ensureBootstrapAdmin(
  dataSource: DataSource,
  givenKey?: string,
): Promise<BootstrapOutcome> {
  return dataSource.transaction(async (db) => {
    // Serialises concurrent first starts against the same database.
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['voxelfleet:bootstrap-admin']);
    const principals = principalStore(db);
    if ((await principals.countPlatformPrincipalsWithRole('platform-admin')) > 0) return { created: false };
    const principal = await principals.create({
      tenantId: null,
      kind: 'service',
      name: ADMIN_NAME,
      roles: ['platform-admin'],
    });
    const key = givenKey ?? generateApiKey().key;
    const prefix = apiKeyPrefix(key);
    if (!prefix) throw new Error('BOOTSTRAP_ADMIN_KEY is not a well-formed API key');
    await principals.addKey(principal, {
      prefix,
      keyHash: hashApiKey(key),
      label: 'bootstrap',
      expiresAt: null,
    });
    return { created: true, key, generated: givenKey === undefined };
  });
}
