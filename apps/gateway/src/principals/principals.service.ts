import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, auditDiffOf } from '@voxelfleet/audit';
import {
  AccessControl,
  ApiKeyAuthenticator,
  canAssignRoles,
  generateApiKey,
  notFound,
  type RequestActor,
} from '@voxelfleet/auth';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { auditOrigin, isUniqueViolation, isUuid, tenantScopeOf } from '../common/actor-scope.js';
import type { CreateKeyDto, CreatePrincipalDto } from './principal.dto.js';

interface PrincipalRow {
  id: string;
  tenant_id: string | null;
  kind: 'user' | 'service';
  name: string;
  roles: string[];
  created_at: Date;
  disabled_at: Date | null;
}

interface KeyRow {
  id: string;
  principal_id: string;
  prefix: string;
  label: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  tenant_id: string | null;
}

const PRINCIPAL_COLUMNS = 'id, tenant_id, kind, name, roles, created_at, disabled_at';

function principalView(row: PrincipalRow) {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    name: row.name,
    roles: row.roles,
    createdAt: row.created_at.toISOString(),
    disabledAt: row.disabled_at?.toISOString() ?? null,
  };
}

function keyView(row: KeyRow) {
  return {
    id: row.id,
    principalId: row.principal_id,
    prefix: row.prefix,
    label: row.label,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

export type PrincipalView = ReturnType<typeof principalView>;
export type KeyView = ReturnType<typeof keyView>;

/** Principals and their API keys; tenant admins manage their own tenant's, scoped. */
@Injectable()
export class PrincipalsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async create(actor: RequestActor, dto: CreatePrincipalDto): Promise<PrincipalView> {
    // A tenant principal creates in its own tenant; naming another one is the same 404 as probing it.
    const tenantId = dto.tenantId === undefined ? tenantScopeOf(actor) : dto.tenantId;
    const resource = { type: 'principal', id: null };
    const decision = canAssignRoles(actor.principal, dto.roles, tenantId);
    if (!decision.allowed) {
      if (decision.outcome === 'not-found') {
        await this.access.ensure(actor, 'write:principals', { tenantId }, { type: 'tenant', id: tenantId });
      }
      await this.access.deny(
        actor,
        'write:principals',
        resource,
        new DomainError(403, 'forbidden', decision.reason),
      );
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (tenantId !== null) {
          const tenants: unknown[] = await manager.query(`SELECT 1 FROM tenants WHERE id = $1 FOR SHARE`, [
            tenantId,
          ]);
          if (tenants.length === 0) throw notFound('tenant', tenantId);
        }
        const rows: PrincipalRow[] = await manager.query(
          `INSERT INTO principals (tenant_id, kind, name, roles) VALUES ($1, $2, $3, $4) RETURNING ${PRINCIPAL_COLUMNS}`,
          [tenantId, dto.kind, dto.name, dto.roles],
        );
        const row = rows[0] as PrincipalRow;
        await this.audit.append(manager, {
          tenantId,
          ...auditOrigin(actor),
          action: 'principal.create',
          resource: { type: 'principal', id: row.id },
          outcome: 'succeeded',
          diff: auditDiffOf(null, { kind: row.kind, name: row.name, roles: row.roles }),
        });
        return principalView(row);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError(409, 'conflict', `principal name '${dto.name}' is taken`);
      throw error;
    }
  }

  async list(actor: RequestActor, tenantFilter?: string): Promise<PrincipalView[]> {
    const scope = tenantScopeOf(actor);
    if (scope !== null && tenantFilter !== undefined && tenantFilter !== scope) {
      await this.access.ensure(
        actor,
        'read:principals',
        { tenantId: tenantFilter },
        { type: 'tenant', id: tenantFilter },
      );
    }
    const tenantId = scope ?? tenantFilter;
    const rows: PrincipalRow[] = await this.dataSource.query(
      `SELECT ${PRINCIPAL_COLUMNS} FROM principals ${tenantId === undefined ? '' : 'WHERE tenant_id = $1'}
        ORDER BY tenant_id NULLS FIRST, name LIMIT 1000`,
      tenantId === undefined ? [] : [tenantId],
    );
    return rows.map(principalView);
  }

  async get(actor: RequestActor, id: string): Promise<PrincipalView & { keys: KeyView[] }> {
    const row = await this.find(this.dataSource.manager, id);
    await this.access.ensure(actor, 'read:principals', row && { tenantId: row.tenant_id }, {
      type: 'principal',
      id,
    });
    const keys: KeyRow[] = await this.dataSource.query(
      `SELECT k.*, p.tenant_id FROM api_keys k JOIN principals p ON p.id = k.principal_id
        WHERE k.principal_id = $1 ORDER BY k.created_at`,
      [id],
    );
    return { ...principalView(row as PrincipalRow), keys: keys.map(keyView) };
  }

  async createKey(
    actor: RequestActor,
    principalId: string,
    dto: CreateKeyDto,
  ): Promise<KeyView & { key: string }> {
    const expiresAt = dto.expiresAt === undefined ? null : new Date(dto.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= Date.now()) {
      throw new DomainError(400, 'bad_request', 'expiresAt must be in the future');
    }
    return this.dataSource.transaction(async (manager) => {
      const principal = await this.find(manager, principalId, true);
      await this.access.ensure(actor, 'manage:keys', principal && { tenantId: principal.tenant_id }, {
        type: 'principal',
        id: principalId,
      });
      // A tenant admin may not mint keys for a platform principal, nor for a principal holding
      // roles it could not hand out itself.
      const assign = canAssignRoles(
        actor.principal,
        (principal as PrincipalRow).roles,
        (principal as PrincipalRow).tenant_id,
      );
      if (!assign.allowed) {
        await this.access.deny(
          actor,
          'manage:keys',
          { type: 'principal', id: principalId },
          new DomainError(403, 'forbidden', assign.reason),
        );
      }
      const generated = generateApiKey();
      const rows: KeyRow[] = await manager.query(
        `INSERT INTO api_keys (principal_id, prefix, key_hash, label, expires_at) VALUES ($1, $2, $3, $4, $5)
         RETURNING *, NULL::uuid AS tenant_id`,
        [principalId, generated.prefix, generated.hash, dto.label ?? '', expiresAt],
      );
      const row = rows[0] as KeyRow;
      await this.audit.append(manager, {
        tenantId: (principal as PrincipalRow).tenant_id,
        ...auditOrigin(actor),
        action: 'key.create',
        resource: { type: 'api-key', id: row.id },
        outcome: 'succeeded',
        diff: auditDiffOf(null, {
          principalId,
          keyPrefix: row.prefix,
          label: row.label,
          expiresAt: row.expires_at,
        }),
      });
      return { ...keyView(row), key: generated.key };
    });
  }

  async revokeKey(actor: RequestActor, keyId: string): Promise<KeyView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const rows: KeyRow[] = isUuid(keyId)
        ? await manager.query(
            `SELECT k.*, p.tenant_id FROM api_keys k JOIN principals p ON p.id = k.principal_id
              WHERE k.id = $1 FOR UPDATE OF k`,
            [keyId],
          )
        : [];
      const key = rows[0] ?? null;
      await this.access.ensure(actor, 'manage:keys', key && { tenantId: key.tenant_id }, {
        type: 'api-key',
        id: keyId,
      });
      const found = key as KeyRow;
      if (found.revoked_at !== null) return keyView(found);
      const updated: [KeyRow[], number] = await manager.query(
        `UPDATE api_keys SET revoked_at = now() WHERE id = $1 RETURNING *, NULL::uuid AS tenant_id`,
        [keyId],
      );
      const after = updated[0][0] as KeyRow;
      await this.audit.append(manager, {
        tenantId: found.tenant_id,
        ...auditOrigin(actor),
        action: 'key.revoke',
        resource: { type: 'api-key', id: keyId },
        outcome: 'succeeded',
        diff: auditDiffOf({ revokedAt: null }, { revokedAt: after.revoked_at }),
      });
      return keyView(after);
    });
    this.authenticator.forget({ keyId });
    return view;
  }

  /**
   * Disables a principal (every key refused at once in this process, within the key cache's
   * time elsewhere) or enables it again; keys are kept, so enabling restores them. A principal
   * cannot disable itself, and a tenant admin cannot touch a principal holding roles it could
   * not hand out.
   */
  async setDisabled(actor: RequestActor, id: string, disabled: boolean): Promise<PrincipalView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const locked: PrincipalRow[] = isUuid(id)
        ? await manager.query(`SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE id = $1 FOR UPDATE`, [id])
        : [];
      const row = locked[0] ?? null;
      const resource = { type: 'principal', id };
      await this.access.ensure(actor, 'write:principals', row && { tenantId: row.tenant_id }, resource);
      const found = row as PrincipalRow;
      if (disabled && found.id === actor.principal.id) {
        throw new DomainError(409, 'conflict', 'a principal cannot disable itself');
      }
      const assign = canAssignRoles(actor.principal, found.roles, found.tenant_id);
      if (!assign.allowed) {
        await this.access.deny(
          actor,
          'write:principals',
          resource,
          new DomainError(403, 'forbidden', assign.reason),
        );
      }
      if ((found.disabled_at !== null) === disabled) return principalView(found);
      const updated: [PrincipalRow[], number] = await manager.query(
        `UPDATE principals SET disabled_at = ${disabled ? 'now()' : 'NULL'} WHERE id = $1 RETURNING ${PRINCIPAL_COLUMNS}`,
        [id],
      );
      const after = updated[0][0] as PrincipalRow;
      await this.audit.append(manager, {
        tenantId: found.tenant_id,
        ...auditOrigin(actor),
        action: disabled ? 'principal.disable' : 'principal.enable',
        resource,
        outcome: 'succeeded',
        diff: auditDiffOf({ disabledAt: found.disabled_at }, { disabledAt: after.disabled_at }),
      });
      return principalView(after);
    });
    this.authenticator.forget({ principalId: id });
    return view;
  }

  private async find(manager: EntityManager, id: string, lock = false): Promise<PrincipalRow | null> {
    if (!isUuid(id)) return null;
    const rows: PrincipalRow[] = await manager.query(
      `SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE id = $1 ${lock ? 'FOR SHARE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }
}
