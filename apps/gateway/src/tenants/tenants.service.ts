import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, auditDiffOf } from '@voxelfleet/audit';
import { AccessControl, ApiKeyAuthenticator, type RequestActor } from '@voxelfleet/auth';
import {
  loadEditions,
  loadTenantPolicies,
  quotaOverrides,
  storedBorrowingLimit,
  tenantScope,
  tenantStore,
  type EditionRecord,
  type TenantChange,
  type TenantRow,
  type TenantScope,
} from '@voxelfleet/persistence';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import type { DataSource, EntityManager } from 'typeorm';
import {
  auditOrigin,
  isForeignKeyViolation,
  isUniqueViolation,
  tenantScopeOf,
} from '../common/actor-scope.js';
import type { CohortDto, QuotaDto } from './tenant.dto.js';
import { CreateTenantDto, UpdateTenantDto } from './tenant.dto.js';
import { TenantSnapshotsService } from '../usage/tenant-snapshots.service.js';
import { ceilingViolations, tenantView } from './tenant-view.js';

export type TenantView = ReturnType<typeof tenantView>;

/** What the acting principal may see: its own tenant, or every one for the platform. */
const scopeOf = (actor: RequestActor): TenantScope => tenantScope(tenantScopeOf(actor));

/** Tenants CRUD, suspension and quotas; every change commits with its audit entry. */
@Injectable()
export class TenantsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator,
    @Inject(TenantSnapshotsService) private readonly snapshots: TenantSnapshotsService,
  ) {}

  async list(actor: RequestActor): Promise<TenantView[]> {
    const rows = await tenantStore(this.dataSource.manager).list(scopeOf(actor));
    const policies = new Map(
      (
        await loadTenantPolicies(
          this.dataSource.manager,
          rows.map((r) => r.id),
        )
      ).map((p) => [p.id, p]),
    );
    return rows.map((row) => tenantView(row, policies.get(row.id)));
  }

  async get(actor: RequestActor, id: string): Promise<TenantView> {
    const row = await tenantStore(this.dataSource.manager).find(scopeOf(actor), id);
    await this.access.ensure(actor, 'read:tenants', row && { tenantId: row.id }, { type: 'tenant', id });
    const [policy] = await loadTenantPolicies(this.dataSource.manager, [id]);
    return tenantView(row as TenantRow, policy);
  }

  async create(actor: RequestActor, dto: CreateTenantDto): Promise<TenantView> {
    try {
      return await this.afterCommit(() =>
        this.dataSource.transaction(async (manager) => {
          const edition = await this.edition(manager, dto.edition ?? 'community');
          const overrides = quotaOverrides({ ...(dto.quota ?? {}) });
          this.assertWithinCeiling(overrides, edition);
          const row = await tenantStore(manager).create({
            name: dto.name,
            edition: edition.name,
            quota: overrides,
            weight: dto.weight ?? 1,
            placement_policy: dto.placementPolicy ?? null,
          });
          const view = await this.viewIn(manager, row);
          await this.audit.append(manager, {
            tenantId: row.id,
            ...auditOrigin(actor),
            action: 'tenant.create',
            resource: { type: 'tenant', id: row.id },
            outcome: 'succeeded',
            diff: auditDiffOf(null, policyFields(row)),
          });
          return view;
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError(409, 'conflict', `tenant name '${dto.name}' is taken`);
      throw error;
    }
  }

  async update(actor: RequestActor, id: string, dto: UpdateTenantDto): Promise<TenantView> {
    try {
      return await this.change(actor, id, 'write:tenants', 'tenant.update', async (manager, before) => {
        const edition = dto.edition === undefined ? undefined : await this.edition(manager, dto.edition);
        if (edition) this.assertWithinCeiling(quotaOverrides(before.quota), edition);
        return this.changed(manager, id, {
          name: dto.name ?? before.name,
          edition: edition?.name ?? before.edition,
          weight: dto.weight ?? before.weight,
          placement_policy: dto.placementPolicy === undefined ? before.placement_policy : dto.placementPolicy,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError(409, 'conflict', `tenant name '${dto.name}' is taken`);
      throw error;
    }
  }

  async setSuspended(
    actor: RequestActor,
    id: string,
    suspended: boolean,
    reason?: string,
  ): Promise<TenantView> {
    const view = await this.change(
      actor,
      id,
      'suspend:tenants',
      suspended ? 'tenant.suspend' : 'tenant.resume',
      (manager) => this.changed(manager, id, { status: suspended ? 'suspended' : 'active' }),
      reason,
    );
    return view;
  }

  async setQuota(actor: RequestActor, id: string, dto: QuotaDto): Promise<TenantView> {
    return this.change(actor, id, 'write:quota', 'tenant.quota.set', async (manager, before) => {
      const overrides = quotaOverrides({ ...dto });
      this.assertWithinCeiling(overrides, await this.edition(manager, before.edition));
      return this.changed(manager, id, { quota: overrides });
    });
  }

  /** Platform admins group tenants into cohorts that lend each other unused quota. */
  async setCohort(actor: RequestActor, id: string, dto: CohortDto): Promise<TenantView> {
    return this.change(actor, id, 'write:quota', 'tenant.cohort.set', (manager) =>
      this.changed(manager, id, {
        cohort: dto.cohort,
        borrowing_limit: dto.cohort === null ? {} : storedBorrowingLimit({ ...dto.borrowingLimit }),
      }),
    );
  }

  async remove(actor: RequestActor, id: string): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const tenants = tenantStore(manager);
        const before = await tenants.find(scopeOf(actor), id, true);
        await this.access.ensure(actor, 'write:tenants', before && { tenantId: before.id }, {
          type: 'tenant',
          id,
        });
        await tenants.remove(tenantScope(id), id);
        await this.audit.append(manager, {
          tenantId: id,
          ...auditOrigin(actor),
          action: 'tenant.delete',
          resource: { type: 'tenant', id },
          outcome: 'succeeded',
          diff: auditDiffOf(policyFields(before as TenantRow), null),
        });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new DomainError(409, 'conflict', `tenant ${id} still has objects that must be removed first`);
      }
      throw error;
    }
    this.authenticator.forget({ tenantId: id });
    this.snapshots.invalidate();
  }

  private async afterCommit<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      this.snapshots.invalidate();
    }
  }

  /** Loads under a row lock, checks scope, applies `apply`, audits the diff: one transaction. */
  private async change(
    actor: RequestActor,
    id: string,
    permission: 'write:tenants' | 'suspend:tenants' | 'write:quota',
    action: string,
    apply: (manager: EntityManager, before: TenantRow) => Promise<TenantRow>,
    reason?: string,
  ): Promise<TenantView> {
    return this.afterCommit(() =>
      this.dataSource.transaction(async (manager) => {
        const before = await tenantStore(manager).find(scopeOf(actor), id, true);
        await this.access.ensure(actor, permission, before && { tenantId: before.id }, {
          type: 'tenant',
          id,
        });
        const after = await apply(manager, before as TenantRow);
        await this.audit.append(manager, {
          tenantId: id,
          ...auditOrigin(actor),
          action,
          resource: { type: 'tenant', id },
          outcome: 'succeeded',
          reason: reason ?? null,
          diff: auditDiffOf(policyFields(before as TenantRow), policyFields(after)),
        });
        return this.viewIn(manager, after);
      }),
    );
  }

  /** The tenant after `change`; it was found and locked in this transaction, so it is there. */
  private async changed(manager: EntityManager, id: string, change: TenantChange): Promise<TenantRow> {
    return (await tenantStore(manager).change(tenantScope(id), id, change)) as TenantRow;
  }

  private async edition(manager: EntityManager, name: string): Promise<EditionRecord> {
    const editions = await loadEditions(manager);
    const edition = editions.find((e) => e.name === name);
    if (edition === undefined) {
      throw new DomainError(
        422,
        'unknown_edition',
        `edition: '${name}' is not one of ${editions.map((e) => e.name).join(', ')}`,
      );
    }
    return edition;
  }

  private assertWithinCeiling(overrides: ReturnType<typeof quotaOverrides>, edition: EditionRecord): void {
    const violations = ceilingViolations(overrides, edition.ceiling);
    if (violations.length > 0) {
      throw new DomainError(422, 'exceeds_edition_ceiling', violations.join('; '), {
        edition: edition.name,
        ceiling: edition.ceiling,
      });
    }
  }

  private async viewIn(manager: EntityManager, row: TenantRow): Promise<TenantView> {
    const [policy] = await loadTenantPolicies(manager, [row.id]);
    return tenantView(row, policy);
  }
}

/** The fields whose changes the audit diff shows. */
function policyFields(row: TenantRow): Record<string, unknown> {
  return {
    name: row.name,
    edition: row.edition,
    status: row.status,
    quota: row.quota,
    weight: Number(row.weight),
    placementPolicy: row.placement_policy,
    cohort: row.cohort,
    borrowingLimit: row.borrowing_limit,
  };
}
