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
import {
  principalStore,
  tenantScope,
  type ApiKeyRecord,
  type PrincipalRecord,
  type TenantScope,
} from '@voxelfleet/persistence';
import type { DataSource } from 'typeorm';
import { auditOrigin, isUniqueViolation, tenantScopeOf } from '../common/actor-scope.js';
import type { CreateKeyDto, CreatePrincipalDto } from './principal.dto.js';

function principalView(record: PrincipalRecord) {
  return {
    id: record.id,
    tenantId: record.tenantId,
    kind: record.kind,
    name: record.name,
    roles: record.roles,
    createdAt: record.createdAt.toISOString(),
    disabledAt: record.disabledAt?.toISOString() ?? null,
  };
}

function keyView(record: ApiKeyRecord) {
  return {
    id: record.id,
    principalId: record.principalId,
    prefix: record.prefix,
    label: record.label,
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt?.toISOString() ?? null,
    revokedAt: record.revokedAt?.toISOString() ?? null,
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
  };
}

export type PrincipalView = ReturnType<typeof principalView>;
export type KeyView = ReturnType<typeof keyView>;

/** What the acting principal may see: its own tenant's principals, or every one for the platform. */
const scopeOf = (actor: RequestActor): TenantScope => tenantScope(tenantScopeOf(actor));

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
        const store = principalStore(manager);
        if (tenantId !== null && !(await store.lockTenant(tenantId))) throw notFound('tenant', tenantId);
        const row = await store.create({ tenantId, kind: dto.kind, name: dto.name, roles: dto.roles });
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
    const rows = await principalStore(this.dataSource.manager).list(tenantScope(tenantId ?? null));
    return rows.map(principalView);
  }

  async get(actor: RequestActor, id: string): Promise<PrincipalView & { keys: KeyView[] }> {
    const store = principalStore(this.dataSource.manager);
    const row = await store.find(scopeOf(actor), id);
    await this.access.ensure(actor, 'read:principals', row && { tenantId: row.tenantId }, {
      type: 'principal',
      id,
    });
    const found = row as PrincipalRecord;
    const keys = await store.keysOf(tenantScope(found.tenantId), id);
    return { ...principalView(found), keys: keys.map(keyView) };
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
      const store = principalStore(manager);
      const principal = await store.find(scopeOf(actor), principalId, 'share');
      await this.access.ensure(actor, 'manage:keys', principal && { tenantId: principal.tenantId }, {
        type: 'principal',
        id: principalId,
      });
      const owner = principal as PrincipalRecord;
      // A tenant admin may not mint keys for a platform principal, nor for a principal holding
      // roles it could not hand out itself.
      const assign = canAssignRoles(actor.principal, owner.roles, owner.tenantId);
      if (!assign.allowed) {
        await this.access.deny(
          actor,
          'manage:keys',
          { type: 'principal', id: principalId },
          new DomainError(403, 'forbidden', assign.reason),
        );
      }
      const generated = generateApiKey();
      const row = await store.addKey(owner, {
        prefix: generated.prefix,
        keyHash: generated.hash,
        label: dto.label ?? '',
        expiresAt,
      });
      await this.audit.append(manager, {
        tenantId: owner.tenantId,
        ...auditOrigin(actor),
        action: 'key.create',
        resource: { type: 'api-key', id: row.id },
        outcome: 'succeeded',
        diff: auditDiffOf(null, {
          principalId,
          keyPrefix: row.prefix,
          label: row.label,
          expiresAt: row.expiresAt,
        }),
      });
      return { ...keyView(row), key: generated.key };
    });
  }

  async revokeKey(actor: RequestActor, keyId: string): Promise<KeyView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const store = principalStore(manager);
      const key = await store.findKey(scopeOf(actor), keyId, 'update');
      await this.access.ensure(actor, 'manage:keys', key && { tenantId: key.tenantId }, {
        type: 'api-key',
        id: keyId,
      });
      const found = key as ApiKeyRecord;
      if (found.revokedAt !== null) return keyView(found);
      const after = (await store.revokeKey(tenantScope(found.tenantId), keyId)) as ApiKeyRecord;
      await this.audit.append(manager, {
        tenantId: found.tenantId,
        ...auditOrigin(actor),
        action: 'key.revoke',
        resource: { type: 'api-key', id: keyId },
        outcome: 'succeeded',
        diff: auditDiffOf({ revokedAt: null }, { revokedAt: after.revokedAt }),
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
      const store = principalStore(manager);
      const row = await store.find(scopeOf(actor), id, 'update');
      const resource = { type: 'principal', id };
      await this.access.ensure(actor, 'write:principals', row && { tenantId: row.tenantId }, resource);
      const found = row as PrincipalRecord;
      if (disabled && found.id === actor.principal.id) {
        throw new DomainError(409, 'conflict', 'a principal cannot disable itself');
      }
      const assign = canAssignRoles(actor.principal, found.roles, found.tenantId);
      if (!assign.allowed) {
        await this.access.deny(
          actor,
          'write:principals',
          resource,
          new DomainError(403, 'forbidden', assign.reason),
        );
      }
      if ((found.disabledAt !== null) === disabled) return principalView(found);
      const after = (await store.setDisabled(tenantScope(found.tenantId), id, disabled)) as PrincipalRecord;
      await this.audit.append(manager, {
        tenantId: found.tenantId,
        ...auditOrigin(actor),
        action: disabled ? 'principal.disable' : 'principal.enable',
        resource,
        outcome: 'succeeded',
        diff: auditDiffOf({ disabledAt: found.disabledAt }, { disabledAt: after.disabledAt }),
      });
      return principalView(after);
    });
    this.authenticator.forget({ principalId: id });
    return view;
  }
}
