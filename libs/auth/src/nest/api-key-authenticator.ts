import type { DataSource } from 'typeorm';
import { apiKeyMatches, apiKeyPrefix } from '../api-key.js';
import type { GpuGrant } from '../rbac/gpu-grants.js';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';

export type AuthFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'disabled';

export type AuthResult =
  | { ok: true; principal: AuthenticatedPrincipal }
  | { ok: false; failure: AuthFailure; reason: string; keyPrefix?: string };

export interface ApiKeyAuthenticatorOptions {
  /**
   * How long a resolved key is reused without reading Postgres. Revoking through this
   * process forgets it at once; another process sees a revocation within this time. 0 reads
   * the database on every request.
   */
  cacheTtlMs?: number;
  /** last_used_at is written at most this often per key, never once per request. */
  lastUsedIntervalMs?: number;
  onError?: (error: unknown) => void;
  clock?: () => number;
}

interface KeyRow {
  key_id: string;
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

interface GrantRow {
  id: string;
  kernels: string[];
  device_classes: string[];
  cpu_fallback: boolean;
  expires_at: Date | null;
}

interface CachedKey {
  row: KeyRow;
  grants: GpuGrant[];
  loadedAt: number;
}

const MAX_CACHED = 10_000;

/**
 * Resolves `Authorization: Bearer <key>` to a principal. Only the key's SHA-256 is stored;
 * the visible prefix finds the row and the hash is compared in constant time. Unknown,
 * expired and revoked keys and disabled principals are refused with a reason for the log.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CachedKey>();
  /** Reads under way, so a burst of requests for one key after its entry expired reads it once. */
  private readonly loading = new Map<string, Promise<CachedKey | null>>();
  /** Bumped by forget(): a read that began before a change must not cache what it saw. */
  private generation = 0;
  private readonly lastUseWritten = new Map<string, number>();
  private readonly cacheTtlMs: number;
  private readonly lastUsedIntervalMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ApiKeyAuthenticatorOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 2_000;
    this.lastUsedIntervalMs = options.lastUsedIntervalMs ?? 60_000;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Reads an `Authorization` header value, which must use the Bearer scheme: a bare key in
   * the header is refused, so there is one spelling to check and log. A key given on its own
   * (a socket.io handshake's `auth.token`) goes to authenticateKey.
   */
  async authenticate(authorization: string | undefined | null): Promise<AuthResult> {
    if (authorization === undefined || authorization === null || authorization.trim() === '') {
      return { ok: false, failure: 'missing', reason: 'no API key: send Authorization: Bearer <key>' };
    }
    const key = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (key === undefined) {
      return { ok: false, failure: 'malformed', reason: 'Authorization must be Bearer <key>' };
    }
    return this.authenticateKey(key);
  }

  async authenticateKey(key: string): Promise<AuthResult> {
    const prefix = apiKeyPrefix(key);
    if (prefix === undefined) return { ok: false, failure: 'malformed', reason: 'not a well-formed API key' };
    const now = this.clock();
    const entry = await this.load(prefix, now);
    if (entry === null || !apiKeyMatches(key, entry.row.key_hash)) {
      return { ok: false, failure: 'unknown', reason: 'unknown API key', keyPrefix: prefix };
    }
    const { row } = entry;
    if (row.revoked_at !== null)
      return { ok: false, failure: 'revoked', reason: 'API key revoked', keyPrefix: prefix };
    if (row.expires_at !== null && row.expires_at.getTime() <= now) {
      return { ok: false, failure: 'expired', reason: 'API key expired', keyPrefix: prefix };
    }
    if (row.disabled_at !== null) {
      return { ok: false, failure: 'disabled', reason: 'principal disabled', keyPrefix: prefix };
    }
    this.noteUse(row, now);
    return {
      ok: true,
      principal: {
        id: row.principal_id,
        tenantId: row.tenant_id,
        roles: row.roles,
        kind: row.kind,
        name: row.name,
        keyId: row.key_id,
        keyPrefix: prefix,
        // Grants expire on their own clock; filter here so a cached entry never outlives one.
        grants: entry.grants.filter((g) => g.expiresAt == null || new Date(g.expiresAt).getTime() > now),
      },
    };
  }

  /** Drops cached keys (all of them, or one principal's) after a change made in this process. */
  forget(filter?: { principalId?: string; keyId?: string; tenantId?: string }): void {
    // A read under way may have seen the row before the change: nobody joins it from now on,
    // and what it returns is not cached.
    this.generation += 1;
    this.loading.clear();
    if (filter === undefined) {
      this.cache.clear();
      return;
    }
    for (const [prefix, entry] of this.cache) {
      const { row } = entry;
      if (
        (filter.principalId !== undefined && row.principal_id === filter.principalId) ||
        (filter.keyId !== undefined && row.key_id === filter.keyId) ||
        (filter.tenantId !== undefined && row.tenant_id === filter.tenantId)
      ) {
        this.cache.delete(prefix);
      }
    }
  }

  private load(prefix: string, now: number): Promise<CachedKey | null> {
    const cached = this.cache.get(prefix);
    if (cached !== undefined && now - cached.loadedAt < this.cacheTtlMs) return Promise.resolve(cached);
    // With no cache every request reads for itself, after it arrived.
    if (this.cacheTtlMs <= 0) return this.read(prefix, now);
    const pending = this.loading.get(prefix);
    if (pending !== undefined) return pending;
    const generation = this.generation;
    const read = this.read(prefix, now)
      .then((entry) => {
        if (generation === this.generation) this.remember(prefix, entry);
        return entry;
      })
      .finally(() => {
        if (this.loading.get(prefix) === read) this.loading.delete(prefix);
      });
    this.loading.set(prefix, read);
    return read;
  }

  private remember(prefix: string, entry: CachedKey | null): void {
    if (entry === null) {
      this.cache.delete(prefix);
      return;
    }
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(prefix, entry);
  }

  private async read(prefix: string, now: number): Promise<CachedKey | null> {
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT k.id AS key_id, k.key_hash, k.expires_at, k.revoked_at, k.last_used_at,
              p.id AS principal_id, p.tenant_id, p.kind, p.name, p.roles, p.disabled_at
         FROM api_keys k JOIN principals p ON p.id = k.principal_id
        WHERE k.prefix = $1`,
      [prefix],
    );
    const row = rows[0];
    if (row === undefined) return null;
    const grants: GrantRow[] = await this.dataSource.query(
      `SELECT id, kernels, device_classes, cpu_fallback, expires_at FROM gpu_grants
        WHERE principal_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
        ORDER BY created_at, id`,
      [row.principal_id],
    );
    return {
      row,
      grants: grants.map((g) => ({
        id: g.id,
        kernels: g.kernels,
        deviceClasses: g.device_classes,
        cpuFallback: g.cpu_fallback,
        expiresAt: g.expires_at,
      })),
      loadedAt: now,
    };
  }

  private noteUse(row: KeyRow, now: number): void {
    const written = this.lastUseWritten.get(row.key_id) ?? row.last_used_at?.getTime() ?? 0;
    if (now - written < this.lastUsedIntervalMs) return;
    this.lastUseWritten.set(row.key_id, now);
    if (this.lastUseWritten.size > MAX_CACHED) this.lastUseWritten.clear();
    // Off the request path: a failed bookkeeping write must not fail the call.
    this.dataSource
      .query(
        `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`,
        [row.key_id, new Date(now)],
      )
      .catch((error: unknown) => this.options.onError?.(error));
  }
}
