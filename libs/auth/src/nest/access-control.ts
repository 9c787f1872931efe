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
      tenantId: denial.principal?.tenantId ?? null,
      actor: auditActorOf(denial.principal),
      ...denial.origin,
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
 * is audited and answers 404 (another tenant's object) or 403 (missing permission).
 */
@Injectable()
export class AccessControl {
  constructor(@Inject(DenialRecorder) private readonly denials: DenialRecorder) {}

  async ensure(
    actor: RequestActor,
    permission: Permission,
    target: AccessTarget,
    resource: { type: string; id: string | null },
  ): Promise<void> {
    const decision = can(actor.principal, permission, target);
    if (decision.allowed) return;
    const status = decision.outcome === 'not-found' ? 404 : 403;
    await this.denials.record({
      principal: actor.principal,
      origin: actor,
      action: permission,
      resource,
      status,
      reason: decision.reason,
    });
    if (status === 404) throw notFound(resource.type, resource.id ?? '');
    throw new DomainError(403, 'forbidden', decision.reason);
  }

  /** Audits a refusal decided elsewhere (e.g. a role the caller may not hand out) and throws it. */
  async deny(
    actor: RequestActor,
    action: string,
    resource: { type: string; id: string | null },
    error: DomainError,
  ): Promise<never> {
    await this.denials.record({
      principal: actor.principal,
      origin: actor,
      action,
      resource,
      status: error.status,
      reason: error.message,
    });
    throw error;
  }
}
