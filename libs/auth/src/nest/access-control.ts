import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, type AuditRecord } from '@voxelfleet/audit';
import { APP_LOGGER, DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { can, type AccessTarget } from '../rbac/can.js';
import type { Permission } from '../rbac/roles.js';
import type { AuthenticatedPrincipal, RequestActor } from './authenticated-principal.js';
import { auditActorOf, type RequestOrigin } from './request-context.js';

/** The one answer for "no such object" and "not yours", so ids cannot be probed. */
export function notFound(resourceType: string, id: string): DomainError {
  return new DomainError(404, 'not_found', `${resourceType} ${id} not found`);
}

export interface Denial {
  principal: AuthenticatedPrincipal | null;
  origin: RequestOrigin;
  action: string;
  resource: { type: string; id: string | null };
  status: number;
  reason: string;
  /** The chain to record it in when not the caller's own (a platform caller acting on a tenant). */
  tenantId?: string | null;
}

/**
 * Writes denials to the audit log in their own transaction (nothing else is committed with
 * a refusal). A failing audit write is logged and the refusal stands.
 */
@Injectable()
export class DenialRecorder {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AuditWriter) private readonly writer: AuditWriter,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async record(denial: Denial): Promise<void> {
    const entry: AuditRecord = {
      tenantId: denial.tenantId !== undefined ? denial.tenantId : (denial.principal?.tenantId ?? null),
      actor: auditActorOf(denial.principal),
      // Read member by member: an actor's origin members are getters on its prototype.
      sourceIp: denial.origin.sourceIp,
      requestId: denial.origin.requestId,
      traceId: denial.origin.traceId,
      action: denial.action,
      resource: denial.resource,
      outcome: 'denied',
      reason: `${denial.status}: ${denial.reason}`,
    };
    try {
      await this.dataSource.transaction((manager) => this.writer.append(manager, entry));
    } catch (error) {
      this.logger.error({ err: error, action: denial.action }, 'could not audit a denial');
    }
  }
}

/**
 * Object-level checks: after loading an object, is it inside the caller's scope? A refusal
 * is audited and answers 404 (another tenant's object) or 403 (missing permission). For a
 * tenant principal an object that does not exist is refused exactly like another tenant's,
 * with the same audit reason, so neither the answer nor its own audit trail tells them apart.
 */
@Injectable()
export class AccessControl {
  constructor(@Inject(DenialRecorder) private readonly denials: DenialRecorder) {}

  /**
   * `target` is the loaded object's owner, or null when no object has that id.
   * Returns normally only when the caller may act on it.
   */
  async ensure(
    actor: RequestActor,
    permission: Permission,
    target: AccessTarget | null,
    resource: { type: string; id: string | null },
  ): Promise<void> {
    const decision = can(actor.principal, permission, target ?? undefined);
    if (decision.allowed && target !== null) return;
    if (!decision.allowed && decision.outcome === 'forbidden') {
      await this.record(actor, permission, resource, 403, decision.reason);
      throw new DomainError(403, 'forbidden', decision.reason);
    }
    // Not found, or found outside the caller's tenant.
    if (actor.principal.tenantId !== null) {
      await this.record(
        actor,
        permission,
        resource,
        404,
        `${resource.type} not found in tenant ${actor.principal.tenantId}`,
      );
    }
    throw notFound(resource.type, resource.id ?? '');
  }

  /** Audits a refusal decided elsewhere (e.g. a role the caller may not hand out) and throws it. */
  async deny(
    actor: RequestActor,
    action: string,
    resource: { type: string; id: string | null },
    error: DomainError,
    /** For platform callers: the tenant the refused action was aimed at, whose trail records it. */
    targetTenantId?: string | null,
  ): Promise<never> {
    // A tenant principal's refusals always stay in its own tenant's chain.
    const tenantId = actor.principal.tenantId ?? targetTenantId ?? null;
    await this.record(actor, action, resource, error.status, error.message, tenantId);
    throw error;
  }

  private record(
    actor: RequestActor,
    action: string,
    resource: { type: string; id: string | null },
    status: number,
    reason: string,
    tenantId?: string | null,
  ): Promise<void> {
    return this.denials.record({
      principal: actor.principal,
      origin: actor,
      tenantId,
      action,
      resource,
      status,
      reason,
    });
  }
}
