import type { AuditEntryInput, StoredAuditEntry } from '../audit-entry.js';
import { chainEntry } from '../audit-chain.js';

export const TENANT = '7d0f3a52-9a51-4c5e-8f0e-2f8a1f7c9b10';

export function auditInput(overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    chain: TENANT,
    tenantId: TENANT,
    at: '2025-03-01T10:00:00.000Z',
    actor: { id: 'p-1', type: 'user', roles: ['tenant-admin'] },
    sourceIp: '10.0.0.7',
    requestId: 'req-1',
    traceId: null,
    action: 'quota.update',
    resource: { type: 'tenant', id: TENANT },
    outcome: 'succeeded',
    reason: null,
    diff: { 'gpus.max': { before: 2, after: 4 } },
    ...overrides,
  };
}

/** A chain of `length` entries as they would be stored, each linked to the one before. */
export function buildChain(length: number, chain = TENANT): StoredAuditEntry[] {
  const entries: StoredAuditEntry[] = [];
  for (let i = 0; i < length; i += 1) {
    const input = auditInput({
      chain,
      tenantId: chain === 'platform' ? null : chain,
      at: new Date(Date.UTC(2025, 2, 1, 10, 0, i)).toISOString(),
      requestId: `req-${i + 1}`,
      action: i % 2 === 0 ? 'keys.create' : 'quota.update',
    });
    const prev = entries.at(-1) ?? null;
    entries.push({
      ...input,
      ...chainEntry(prev === null ? null : { chainSeq: Number(prev.chainSeq), hash: prev.hash }, input),
    });
  }
  return entries;
}
