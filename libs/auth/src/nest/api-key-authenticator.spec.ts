import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { generateApiKey } from '../api-key.js';
import { ApiKeyAuthenticator } from './api-key-authenticator.js';

interface FakeKey {
  key_id: string;
  prefix: string;
  key_hash: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  principal_id: string;
  tenant_id: string | null;
  kind: 'user' | 'service';
  name: string;
  roles: string[];
  disabled_at: Date | null;
}

/** Stands in for Postgres: answers the authenticator's three statements from an array. */
function fakeDatabase(keys: FakeKey[], grantExpiresAt: Date | null = null) {
  const calls = { selects: 0, lastUsedWrites: 0 };
  const dataSource = {
    query(sql: string, params: unknown[]): Promise<unknown> {
      if (sql.includes('FROM api_keys k JOIN principals')) {
        calls.selects += 1;
        return Promise.resolve(keys.filter((k) => k.prefix === params[0]));
      }
      if (sql.includes('FROM gpu_grants')) {
        return Promise.resolve([
          {
            id: 'g1',
            kernels: ['**'],
            device_classes: ['*'],
            cpu_fallback: false,
            expires_at: grantExpiresAt,
          },
        ]);
      }
      if (sql.startsWith('UPDATE api_keys SET last_used_at')) {
        calls.lastUsedWrites += 1;
        return Promise.resolve([]);
      }
      return Promise.reject(new Error(`unexpected SQL ${sql}`));
    },
  } as unknown as DataSource;
  return { dataSource, calls };
}

/**
 * Like fakeDatabase, but each key read waits until the test releases it, and answers with the
 * row as it was when the read was asked for.
 */
function gatedDatabase(row: FakeKey) {
  const reads: (() => void)[] = [];
  const dataSource = {
    query(sql: string): Promise<unknown> {
      if (sql.includes('FROM api_keys k JOIN principals')) {
        const snapshot = { ...row };
        return new Promise((resolve) => reads.push(() => resolve([snapshot])));
      }
      return Promise.resolve([]);
    },
  } as unknown as DataSource;
  return { dataSource, reads };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function keyRow(overrides: Partial<FakeKey> = {}) {
  const generated = generateApiKey();
  const row: FakeKey = {
    key_id: 'k1',
    prefix: generated.prefix,
    key_hash: generated.hash,
    expires_at: null,
    revoked_at: null,
    last_used_at: null,
    principal_id: 'p1',
    tenant_id: 't1',
    kind: 'service',
    name: 'bot',
    roles: ['tenant-member'],
    disabled_at: null,
    ...overrides,
  };
  return { row, key: generated.key };
}

describe('ApiKeyAuthenticator', () => {
  it('resolves a Bearer key to its principal and grants', async () => {
    const { row, key } = keyRow();
    const { dataSource } = fakeDatabase([row]);
    const result = await new ApiKeyAuthenticator(dataSource).authenticate(`Bearer ${key}`);
    expect(result).toMatchObject({
      ok: true,
      principal: { id: 'p1', tenantId: 't1', roles: ['tenant-member'], keyId: 'k1', grants: [{ id: 'g1' }] },
    });
  });

  it.each([
    [undefined, 'missing'],
    ['Basic abc', 'malformed'],
    ['Bearer not-a-key', 'malformed'],
    // A well-formed key without the scheme: refused, not read as a bare key.
    [`vf_abcdefghij_${'A'.repeat(43)}`, 'malformed'],
    [`Token vf_abcdefghij_${'A'.repeat(43)}`, 'malformed'],
  ])('refuses %s as %s', async (header, failure) => {
    const { dataSource } = fakeDatabase([]);
    expect(await new ApiKeyAuthenticator(dataSource).authenticate(header)).toMatchObject({
      ok: false,
      failure,
    });
  });

  it('refuses an unknown key, a wrong secret, revoked and expired keys and disabled principals', async () => {
    const good = keyRow();
    const revoked = keyRow({ revoked_at: new Date(0) });
    const expired = keyRow({ expires_at: new Date(5_000) });
    const disabled = keyRow({ disabled_at: new Date(0) });
    const { dataSource } = fakeDatabase([good.row, revoked.row, expired.row, disabled.row]);
    const auth = new ApiKeyAuthenticator(dataSource, { clock: () => 10_000 });
    const forged = `${good.key.slice(0, -4)}AAAA`;
    expect(await auth.authenticateKey(forged)).toMatchObject({ ok: false, failure: 'unknown' });
    expect(await auth.authenticateKey(keyRow().key)).toMatchObject({ ok: false, failure: 'unknown' });
    expect(await auth.authenticateKey(revoked.key)).toMatchObject({ ok: false, failure: 'revoked' });
    expect(await auth.authenticateKey(expired.key)).toMatchObject({ ok: false, failure: 'expired' });
    expect(await auth.authenticateKey(disabled.key)).toMatchObject({ ok: false, failure: 'disabled' });
  });

  it('reads Postgres once per TTL, forgets on demand, and writes last use at most once per interval', async () => {
    const { row, key } = keyRow();
    const { dataSource, calls } = fakeDatabase([row]);
    let now = 100_000;
    const auth = new ApiKeyAuthenticator(dataSource, {
      cacheTtlMs: 1_000,
      lastUsedIntervalMs: 60_000,
      clock: () => now,
    });
    for (let i = 0; i < 5; i += 1) expect((await auth.authenticateKey(key)).ok).toBe(true);
    expect(calls).toEqual({ selects: 1, lastUsedWrites: 1 });
    now += 1_000;
    await auth.authenticateKey(key);
    expect(calls.selects).toBe(2);
    row.revoked_at = new Date(now);
    auth.forget({ keyId: 'k1' });
    expect(await auth.authenticateKey(key)).toMatchObject({ ok: false, failure: 'revoked' });
    row.revoked_at = null;
    now += 60_000;
    await auth.authenticateKey(key);
    expect(calls.lastUsedWrites).toBe(2);
  });

  it('never lets a cached grant outlive its expiry', async () => {
    const { row, key } = keyRow();
    const { dataSource, calls } = fakeDatabase([row], new Date(500));
    let now = 0;
    const auth = new ApiKeyAuthenticator(dataSource, { cacheTtlMs: 60_000, clock: () => now });
    const first = await auth.authenticateKey(key);
    expect(first.ok && first.principal.grants).toHaveLength(1);
    now = 1_000;
    const second = await auth.authenticateKey(key);
    expect(second.ok && second.principal.grants).toEqual([]);
    expect(calls.selects).toBe(1);
  });

  it('reads a key once for a burst of requests that find no fresh entry', async () => {
    const { row, key } = keyRow();
    const shared = fakeDatabase([row]);
    const auth = new ApiKeyAuthenticator(shared.dataSource, { cacheTtlMs: 1_000 });
    const burst = await Promise.all(Array.from({ length: 20 }, () => auth.authenticateKey(key)));
    expect(burst.every((result) => result.ok)).toBe(true);
    expect(shared.calls.selects).toBe(1);
    // Without a cache each request reads for itself.
    const uncached = fakeDatabase([row]);
    const strict = new ApiKeyAuthenticator(uncached.dataSource, { cacheTtlMs: 0 });
    await Promise.all(Array.from({ length: 20 }, () => strict.authenticateKey(key)));
    expect(uncached.calls.selects).toBe(20);
  });

  it('does not let a read that began before a revocation answer or cache for later requests', async () => {
    const { row, key } = keyRow();
    const { dataSource, reads } = gatedDatabase(row);
    const auth = new ApiKeyAuthenticator(dataSource, { cacheTtlMs: 60_000 });
    const before = auth.authenticateKey(key);
    await settle();
    expect(reads).toHaveLength(1);
    row.revoked_at = new Date();
    auth.forget({ keyId: row.key_id });
    const after = auth.authenticateKey(key);
    await settle();
    expect(reads).toHaveLength(2); // its own read, not the one under way
    reads[1]?.();
    expect(await after).toMatchObject({ ok: false, failure: 'revoked' });
    reads[0]?.();
    expect((await before).ok).toBe(true); // it asked before the change
    // The late, older answer did not replace the newer one in the cache.
    expect(await auth.authenticateKey(key)).toMatchObject({ ok: false, failure: 'revoked' });
    expect(reads).toHaveLength(2);
  });
});
