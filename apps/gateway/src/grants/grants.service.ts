import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, auditDiffOf } from '@voxelfleet/audit';
import {
  AccessControl,
  ANY_DEVICE_CLASS,
  ApiKeyAuthenticator,
  kernelPatternError,
  type RequestActor,
} from '@voxelfleet/auth';
import {
  grantStore,
  loadTenantPolicies,
  principalStore,
  tenantScope,
  type GpuGrantRecord,
} from '@voxelfleet/persistence';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import { DeviceClassParseError, parseDeviceClass } from '@voxelfleet/scheduling';
import type { DataSource } from 'typeorm';
import { auditOrigin, tenantScopeOf } from '../common/actor-scope.js';
import type { CreateGrantDto } from './grant.dto.js';

function grantView(grant: GpuGrantRecord) {
  return {
    ...grant,
    createdAt: grant.createdAt.toISOString(),
    expiresAt: grant.expiresAt?.toISOString() ?? null,
    revokedAt: grant.revokedAt?.toISOString() ?? null,
  };
}

export type GrantView = ReturnType<typeof grantView>;

/** What the acting principal may see: its own tenant's grants, or every one for the platform. */
const scopeOf = (actor: RequestActor) => tenantScope(tenantScopeOf(actor));

/** GPU capability grants: default deny, given and revoked by the platform, audited. */
@Injectable()
export class GrantsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async create(actor: RequestActor, dto: CreateGrantDto): Promise<GrantView> {
    const problems = [
      ...dto.kernels
        .map((k) => kernelPatternError(k))
        .filter((e): e is string => e !== null)
        .map((e) => `kernels: ${e}`),
      ...dto.deviceClasses.flatMap((expression) => deviceClassProblem(expression)),
    ];
    const expiresAt = dto.expiresAt === undefined ? null : new Date(dto.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= Date.now())
      problems.push('expiresAt must be in the future');
    if (problems.length > 0) throw new DomainError(400, 'bad_request', problems.join('; '));
    const grant = await this.dataSource.transaction(async (manager) => {
      const principal = await principalStore(manager).find(scopeOf(actor), dto.principalId, 'share');
      await this.access.ensure(actor, 'manage:grants', principal && { tenantId: principal.tenantId }, {
        type: 'principal',
        id: dto.principalId,
      });
      const tenantId = (principal as { tenantId: string | null }).tenantId;
      if (dto.cpuFallback && tenantId !== null) {
        // Feature flag: an edition without CPU fallback cannot be granted it.
        const [policy] = await loadTenantPolicies(manager, [tenantId]);
        if (policy && !policy.edition.features.cpuFallback) {
          throw new DomainError(
            422,
            'feature_disabled',
            `cpuFallback: edition '${policy.edition.name}' does not include CPU fallback`,
          );
        }
      }
      const created = await grantStore(manager).insert({
        principalId: dto.principalId,
        tenantId,
        kernels: dto.kernels,
        deviceClasses: dto.deviceClasses,
        cpuFallback: dto.cpuFallback,
        expiresAt,
        createdBy: actor.principal.id,
      });
      await this.audit.append(manager, {
        tenantId,
        ...auditOrigin(actor),
        action: 'grant.create',
        resource: { type: 'gpu-grant', id: created.id },
        outcome: 'succeeded',
        diff: auditDiffOf(null, {
          principalId: created.principalId,
          kernels: created.kernels,
          deviceClasses: created.deviceClasses,
          cpuFallback: created.cpuFallback,
          expiresAt: created.expiresAt,
        }),
      });
      return created;
    });
    this.authenticator.forget({ principalId: dto.principalId });
    return grantView(grant);
  }

  async list(
    actor: RequestActor,
    query: { principalId?: string; tenantId?: string; includeRevoked?: boolean },
  ): Promise<GrantView[]> {
    const scope = tenantScopeOf(actor);
    if (scope !== null && query.tenantId !== undefined && query.tenantId !== scope) {
      await this.access.ensure(
        actor,
        'read:grants',
        { tenantId: query.tenantId },
        { type: 'tenant', id: query.tenantId },
      );
    }
    const grants = await grantStore(this.dataSource.manager).list(
      tenantScope(scope ?? query.tenantId ?? null),
      {
        ...(query.principalId === undefined ? {} : { principalId: query.principalId }),
        includeRevoked: query.includeRevoked === true,
      },
    );
    return grants.map(grantView);
  }

  async revoke(actor: RequestActor, id: string): Promise<GrantView> {
    const result = await this.dataSource.transaction(async (manager) => {
      const grants = grantStore(manager);
      const grant = await grants.find(scopeOf(actor), id);
      await this.access.ensure(actor, 'manage:grants', grant && { tenantId: grant.tenantId }, {
        type: 'gpu-grant',
        id,
      });
      const found = grant as GpuGrantRecord;
      const revoked = await grants.revoke(tenantScope(found.tenantId), id, actor.principal.id);
      if (revoked === null) return found;
      await this.audit.append(manager, {
        tenantId: found.tenantId,
        ...auditOrigin(actor),
        action: 'grant.revoke',
        resource: { type: 'gpu-grant', id },
        outcome: 'succeeded',
        diff: auditDiffOf({ revokedAt: null }, { revokedAt: revoked.revokedAt }),
      });
      return revoked;
    });
    this.authenticator.forget({ principalId: result.principalId });
    return grantView(result);
  }
}

function deviceClassProblem(expression: string): string[] {
  if (expression === ANY_DEVICE_CLASS) return [];
  try {
    parseDeviceClass(expression);
    return [];
  } catch (error) {
    if (error instanceof DeviceClassParseError) return [`deviceClasses: ${error.message}`];
    throw error;
  }
}
