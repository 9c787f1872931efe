import { Inject, Injectable } from '@nestjs/common';
import {
  PLATFORM_CHAIN,
  listChainHeads,
  queryAudit,
  verifyStoredChain,
  type AuditEntryView,
  type AuditQuery,
  type ChainReport,
  type KeyInput,
} from '@voxelfleet/audit';
import { AccessControl, type RequestActor } from '@voxelfleet/auth';
import { DATA_SOURCE } from '@voxelfleet/platform';
import type { DataSource } from 'typeorm';
import { AUDIT_SIGNING, type AuditSigning } from './audit-signing.js';
import type { AuditQueryDto, AuditVerifyQueryDto } from './audit-query.dto.js';

/** Reading, exporting and verifying the audit log, each confined to the caller's scope. */
@Injectable()
export class AuditService {
  private readonly trustedKeys: KeyInput[];

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(AUDIT_SIGNING) private readonly signing: AuditSigning,
  ) {
    this.trustedKeys = [signing.key];
  }

  async query(
    actor: RequestActor,
    dto: AuditQueryDto,
  ): Promise<{ entries: AuditEntryView[]; nextCursor: string | null }> {
    const query = await this.scopedQuery(actor, dto);
    const entries = await queryAudit(this.dataSource.manager, query);
    const last = entries[entries.length - 1];
    return { entries, nextCursor: entries.length === query.limit && last ? last.seq : null };
  }

  /** Pages through every matching entry, for the NDJSON export. */
  async *export(actor: RequestActor, dto: AuditQueryDto): AsyncGenerator<AuditEntryView> {
    const query = { ...(await this.scopedQuery(actor, dto)), limit: 1000 };
    for (;;) {
      const page = await queryAudit(this.dataSource.manager, query);
      yield* page;
      const last = page[page.length - 1];
      if (page.length < query.limit || last === undefined) return;
      query.afterSeq = last.seq;
    }
  }

  async verify(
    actor: RequestActor,
    dto: AuditVerifyQueryDto,
  ): Promise<{ ok: boolean; checkpointsTrusted: boolean; chains: ChainReport[] }> {
    const scope = actor.principal.tenantId;
    let chains: string[];
    if (dto.chain !== undefined) {
      if (scope !== null && dto.chain !== scope) {
        await this.access.ensure(
          actor,
          'read:audit',
          { tenantId: dto.chain === PLATFORM_CHAIN ? null : dto.chain },
          {
            type: 'audit-chain',
            id: dto.chain,
          },
        );
      }
      chains = [dto.chain];
    } else {
      // A chain whose rows were all deleted is still known to the journal kept off the database.
      chains =
        scope !== null
          ? [scope]
          : [
              ...new Set([
                ...(await listChainHeads(this.dataSource.manager)).map((h) => h.chain),
                ...this.signing.journal.all().map((c) => c.chain),
              ]),
            ];
    }
    const reports: ChainReport[] = [];
    for (const chain of chains) {
      reports.push(
        await verifyStoredChain(this.dataSource.manager, chain, {
          ...(dto.from === undefined ? {} : { fromSeq: dto.from }),
          ...(dto.to === undefined ? {} : { toSeq: dto.to }),
          trustedKeys: this.trustedKeys,
          // Checkpoints kept off the database still count if their rows were deleted there.
          extraCheckpoints: this.signing.journal.all(),
        }),
      );
    }
    return {
      ok: reports.every((r) => r.result.ok && r.badCheckpoints.length === 0),
      checkpointsTrusted: this.trustedKeys.length > 0,
      chains: reports,
    };
  }

  private async scopedQuery(actor: RequestActor, dto: AuditQueryDto): Promise<AuditQuery> {
    const scope = actor.principal.tenantId;
    if (scope !== null && dto.tenantId !== undefined && dto.tenantId !== scope) {
      await this.access.ensure(
        actor,
        'read:audit',
        { tenantId: dto.tenantId === PLATFORM_CHAIN ? null : dto.tenantId },
        { type: 'audit-chain', id: dto.tenantId },
      );
    }
    const platformOnly = scope === null && dto.tenantId === PLATFORM_CHAIN;
    return {
      tenantId: scope ?? (dto.tenantId === undefined || platformOnly ? null : dto.tenantId),
      platformOnly,
      ...(dto.action === undefined ? {} : { action: dto.action }),
      ...(dto.actorId === undefined ? {} : { actorId: dto.actorId }),
      ...(dto.resourceType === undefined ? {} : { resourceType: dto.resourceType }),
      ...(dto.resourceId === undefined ? {} : { resourceId: dto.resourceId }),
      ...(dto.outcome === undefined ? {} : { outcome: dto.outcome }),
      ...(dto.from === undefined ? {} : { from: new Date(dto.from) }),
      ...(dto.to === undefined ? {} : { to: new Date(dto.to) }),
      ...(dto.after === undefined ? {} : { afterSeq: dto.after }),
      limit: dto.limit ?? 100,
    };
  }
}
