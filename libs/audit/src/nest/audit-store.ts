import type { EntityManager } from 'typeorm';
import type { StoredAuditEntry } from '../audit-entry.js';
import type { SignedCheckpoint } from '../checkpoint.js';

/** An entry as the API shows it: the stored fields plus the global `seq`. */
export interface AuditEntryView extends StoredAuditEntry {
  seq: string;
}

export interface AuditQuery {
  /** Required scope: one tenant's chain, or null for every chain (platform callers). */
  tenantId: string | null;
  /** Only the platform chain (tenant_id NULL); platform callers only. */
  platformOnly?: boolean;
  action?: string;
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
  /** Entries with seq greater than this (cursor pagination, ascending). */
  afterSeq?: string;
  limit: number;
}

interface AuditRow {
  seq: string;
  chain: string;
  chain_seq: string;
  at: Date;
  tenant_id: string | null;
  actor_id: string | null;
  actor_type: string;
  actor_roles: string[];
  source_ip: string | null;
  request_id: string | null;
  trace_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  outcome: string;
  reason: string | null;
  diff: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

const COLUMNS = `seq, chain, chain_seq, at, tenant_id, actor_id, actor_type, actor_roles, source_ip, request_id,
  trace_id, action, resource_type, resource_id, outcome, reason, diff, prev_hash, hash`;

/** Filters and cursor pagination over `audit_log`, in seq order. */
export async function queryAudit(manager: EntityManager, query: AuditQuery): Promise<AuditEntryView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.tenantId !== null) add('tenant_id = ?', query.tenantId);
  else if (query.platformOnly) where.push('tenant_id IS NULL');
  if (query.action !== undefined) add('action = ?', query.action);
  if (query.actorId !== undefined) add('actor_id = ?', query.actorId);
  if (query.resourceType !== undefined) add('resource_type = ?', query.resourceType);
  if (query.resourceId !== undefined) add('resource_id = ?', query.resourceId);
  if (query.outcome !== undefined) add('outcome = ?', query.outcome);
  if (query.from !== undefined) add('at >= ?', query.from);
  if (query.to !== undefined) add('at < ?', query.to);
  if (query.afterSeq !== undefined) add('seq > ?', query.afterSeq);
  params.push(query.limit);
  const rows: AuditRow[] = await manager.query(
    `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY seq LIMIT $${params.length}`,
    params,
  );
  return rows.map(toView);
}

/** Entries of one chain with chain_seq in [fromSeq, toSeq], in chain order. */
export async function loadChainRange(
  manager: EntityManager,
  chain: string,
  fromSeq: number,
  toSeq: number,
): Promise<AuditEntryView[]> {
  const rows: AuditRow[] = await manager.query(
    `SELECT ${COLUMNS} FROM audit_log WHERE chain = $1 AND chain_seq BETWEEN $2 AND $3 ORDER BY chain_seq`,
    [chain, fromSeq, toSeq],
  );
  return rows.map(toView);
}

/** Every chain with its highest chain_seq. */
export async function listChainHeads(
  manager: EntityManager,
  chain?: string,
): Promise<{ chain: string; chainSeq: number; hash: string }[]> {
  const rows: { chain: string; chain_seq: string; hash: string }[] = await manager.query(
    `SELECT DISTINCT ON (chain) chain, chain_seq, hash FROM audit_log
      ${chain === undefined ? '' : 'WHERE chain = $1'} ORDER BY chain, chain_seq DESC`,
    chain === undefined ? [] : [chain],
  );
  return rows.map((row) => ({ chain: row.chain, chainSeq: Number(row.chain_seq), hash: row.hash }));
}

export async function loadCheckpoints(manager: EntityManager, chain: string): Promise<SignedCheckpoint[]> {
  const rows: {
    chain: string;
    chain_seq: string;
    hash: string;
    at: Date;
    key_id: string;
    signature: string;
  }[] = await manager.query(
    `SELECT chain, chain_seq, hash, at, key_id, signature FROM audit_checkpoints WHERE chain = $1 ORDER BY chain_seq`,
    [chain],
  );
  return rows.map((row) => ({
    chain: row.chain,
    chainSeq: Number(row.chain_seq),
    hash: row.hash,
    at: row.at.toISOString(),
    keyId: row.key_id,
    signature: row.signature,
  }));
}

export async function insertCheckpoint(
  manager: EntityManager,
  checkpoint: SignedCheckpoint,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO audit_checkpoints (chain, chain_seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING RETURNING chain`,
    [
      checkpoint.chain,
      checkpoint.chainSeq,
      checkpoint.hash,
      checkpoint.at,
      checkpoint.keyId,
      checkpoint.signature,
    ],
  );
  return rows.length > 0;
}

function toView(row: AuditRow): AuditEntryView {
  return {
    seq: String(row.seq),
    chain: row.chain,
    chainSeq: row.chain_seq,
    at: row.at,
    tenantId: row.tenant_id,
    actor: { id: row.actor_id, type: row.actor_type, roles: row.actor_roles },
    sourceIp: row.source_ip,
    requestId: row.request_id,
    traceId: row.trace_id,
    action: row.action,
    resource: { type: row.resource_type, id: row.resource_id },
    outcome: row.outcome as AuditEntryView['outcome'],
    reason: row.reason,
    diff: row.diff as AuditEntryView['diff'],
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
