import type { EntityManager } from 'typeorm';
import { chainEntry } from '../audit-chain.js';
import type { AuditActor, AuditOutcome } from '../audit-entry.js';
import { chainFor } from '../audit-entry.js';
import type { JsonObject } from '../canonical-json.js';
import { storedForm } from '../stored-text.js';

/** What a caller says about one event; the writer adds time, chain position and hashes. */
export interface AuditRecord {
  tenantId: string | null;
  actor: AuditActor;
  sourceIp?: string | null;
  requestId?: string | null;
  traceId?: string | null;
  action: string;
  resource: { type: string; id: string | null };
  outcome: AuditOutcome;
  reason?: string | null;
  /** Already scrubbed (diffOf / auditDiffOf do it); a secret makes the append throw. */
  diff?: JsonObject | null;
}

export interface AppendedAuditEntry {
  seq: string;
  chain: string;
  chainSeq: number;
  hash: string;
  at: string;
}

/** The actor of events the system raises itself (fleet reports, checkpoints). */
export const SYSTEM_ACTOR: AuditActor = { id: null, type: 'system', roles: [] };

/**
 * Appends hash-chained entries to `audit_log` inside the caller's transaction, so a change
 * and its entry commit or roll back together. Appends to one chain are serialised with a
 * transaction-scoped advisory lock: the next link needs the previous hash.
 */
export class AuditWriter {
  constructor(private readonly clock: () => Date = () => new Date()) {}

  async append(manager: EntityManager, record: AuditRecord): Promise<AppendedAuditEntry> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditWriter.append must run inside a transaction (use dataSource.transaction)');
    }
    const chain = chainFor(record.tenantId);
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('voxelfleet:audit:' || $1))`, [chain]);
    const heads: { chain_seq: string; hash: string }[] = await manager.query(
      `SELECT chain_seq, hash FROM audit_log WHERE chain = $1 ORDER BY chain_seq DESC LIMIT 1`,
      [chain],
    );
    const head = heads[0];
    const at = this.clock().toISOString();
    // Hashed and stored in one form: what Postgres would make of NUL or an unpaired surrogate.
    const entry = storedForm({
      chain,
      tenantId: record.tenantId,
      at,
      actor: { id: record.actor.id, type: record.actor.type, roles: [...record.actor.roles] },
      sourceIp: record.sourceIp ?? null,
      requestId: record.requestId ?? null,
      traceId: record.traceId ?? null,
      action: record.action,
      resource: record.resource,
      outcome: record.outcome,
      reason: record.reason ?? null,
      diff: record.diff ?? null,
    });
    const linked = chainEntry(head ? { chainSeq: Number(head.chain_seq), hash: head.hash } : null, entry);
    const rows: { seq: string }[] = await manager.query(
      `INSERT INTO audit_log (chain, chain_seq, at, tenant_id, actor_id, actor_type, actor_roles, source_ip,
         request_id, trace_id, action, resource_type, resource_id, outcome, reason, diff, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       RETURNING seq`,
      [
        chain,
        linked.chainSeq,
        at,
        entry.tenantId,
        entry.actor.id,
        entry.actor.type,
        entry.actor.roles,
        entry.sourceIp,
        entry.requestId,
        entry.traceId,
        entry.action,
        entry.resource.type,
        entry.resource.id,
        entry.outcome,
        entry.reason,
        entry.diff === null ? null : JSON.stringify(entry.diff),
        linked.prevHash,
        linked.hash,
      ],
    );
    return { seq: String(rows[0]?.seq), chain, chainSeq: linked.chainSeq, hash: linked.hash, at };
  }
}
