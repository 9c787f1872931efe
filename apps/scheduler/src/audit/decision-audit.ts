import { chainEntry, chainFor, SYSTEM_ACTOR, type JsonObject } from '@voxelfleet/audit';
import type { EntityManager } from 'typeorm';

/** A scheduling decision as it enters a tenant's audit chain. */
export interface DecisionAuditRecord {
  tenantId: string;
  action: 'job.placed' | 'job.rejected' | 'job.preempted' | 'job.requeued' | 'job.expired';
  /** The job; for the placements one pass made for a tenant, the pass (the diff lists the jobs). */
  resource: { type: 'job' | 'scheduling-pass'; id: string };
  outcome: 'succeeded' | 'failed';
  reason: string;
  diff: JsonObject | null;
}

/**
 * Appends many decisions to their tenants' audit chains in one statement. Same protocol as
 * the gateway's AuditWriter (a transaction-scoped advisory lock per chain, then the head,
 * then the links), so the two never fork a chain; chains are locked in sorted order so two
 * batch writers cannot deadlock. Three round trips whatever the number of chains.
 */
export async function appendDecisionAudit(
  manager: EntityManager,
  records: readonly DecisionAuditRecord[],
  at: Date = new Date(),
): Promise<void> {
  if (records.length === 0) return;
  const byChain = new Map<string, DecisionAuditRecord[]>();
  for (const record of records) {
    const chain = chainFor(record.tenantId);
    const list = byChain.get(chain) ?? [];
    list.push(record);
    byChain.set(chain, list);
  }
  const iso = at.toISOString();
  const columns = {
    chain: [] as string[],
    chainSeq: [] as number[],
    tenantId: [] as string[],
    action: [] as string[],
    resourceType: [] as string[],
    resourceId: [] as string[],
    outcome: [] as string[],
    reason: [] as string[],
    diff: [] as (string | null)[],
    prevHash: [] as string[],
    hash: [] as string[],
  };
  const chains = [...byChain.keys()].sort();
  // Every chain's lock in one statement, taken in the array's (sorted) order, then every head
  // in the next: the heads must be read after the locks are held, by a statement that starts
  // after they are, or a writer that committed while this one waited would be missed.
  await manager.query(
    `SELECT pg_advisory_xact_lock(hashtext('voxelfleet:audit:' || c.chain))
       FROM unnest($1::text[]) WITH ORDINALITY AS c(chain, n)`,
    [chains],
  );
  const heads: { chain: string; chain_seq: string; hash: string }[] = await manager.query(
    `SELECT c.chain, h.chain_seq, h.hash
       FROM unnest($1::text[]) AS c(chain)
       JOIN LATERAL (SELECT chain_seq, hash FROM audit_log a WHERE a.chain = c.chain
                      ORDER BY chain_seq DESC LIMIT 1) h ON true`,
    [chains],
  );
  const headOf = new Map(heads.map((h) => [h.chain, { chainSeq: Number(h.chain_seq), hash: h.hash }]));
  for (const chain of chains) {
    let head = headOf.get(chain) ?? null;
    for (const record of byChain.get(chain) ?? []) {
      const linked = chainEntry(head, {
        chain,
        tenantId: record.tenantId,
        at: iso,
        actor: SYSTEM_ACTOR,
        sourceIp: null,
        requestId: null,
        traceId: null,
        action: record.action,
        resource: record.resource,
        outcome: record.outcome,
        reason: record.reason,
        diff: record.diff,
      });
      head = { chainSeq: linked.chainSeq, hash: linked.hash };
      columns.chain.push(chain);
      columns.chainSeq.push(linked.chainSeq);
      columns.tenantId.push(record.tenantId);
      columns.action.push(record.action);
      columns.resourceType.push(record.resource.type);
      columns.resourceId.push(record.resource.id);
      columns.outcome.push(record.outcome);
      columns.reason.push(record.reason);
      columns.diff.push(record.diff === null ? null : JSON.stringify(record.diff));
      columns.prevHash.push(linked.prevHash);
      columns.hash.push(linked.hash);
    }
  }
  await manager.query(
    `INSERT INTO audit_log (chain, chain_seq, at, tenant_id, actor_id, actor_type, actor_roles, source_ip,
       request_id, trace_id, action, resource_type, resource_id, outcome, reason, diff, prev_hash, hash)
     SELECT c.chain, c.chain_seq, $1, c.tenant_id, NULL, $2, '{}', NULL, NULL, NULL, c.action, c.resource_type,
            c.resource_id, c.outcome, c.reason, c.diff, c.prev_hash, c.hash
       FROM unnest($3::text[], $4::bigint[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::jsonb[], $12::text[], $13::text[])
         AS c(chain, chain_seq, tenant_id, action, resource_type, resource_id, outcome, reason, diff, prev_hash,
              hash)`,
    [
      iso,
      SYSTEM_ACTOR.type,
      columns.chain,
      columns.chainSeq,
      columns.tenantId,
      columns.action,
      columns.resourceType,
      columns.resourceId,
      columns.outcome,
      columns.reason,
      columns.diff,
      columns.prevHash,
      columns.hash,
    ],
  );
}
