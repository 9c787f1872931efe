import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { canonicalEntry, chainEntry, recomputeHash } from './audit-chain.js';
import { AuditEntryError, GENESIS_HASH } from './audit-entry.js';
import { TENANT, auditInput } from './testing/audit-fixtures.js';

describe('chainEntry', () => {
  it('starts a chain at seq 1 from the genesis hash', () => {
    const input = auditInput();
    const link = chainEntry(null, input);
    expect(link.chainSeq).toBe(1);
    expect(link.prevHash).toBe(GENESIS_HASH);
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalEntry(input, 1))
      .digest('hex');
    expect(link.hash).toBe(expected);
  });

  it('hashes the sequence number, so the same entry at another position hashes differently', () => {
    const input = auditInput();
    const first = chainEntry(null, input);
    const second = chainEntry(first, input);
    expect(second).toMatchObject({ chainSeq: 2, prevHash: first.hash });
    expect(second.hash).not.toBe(first.hash);
  });

  it('accepts a bigint column read back as a string for the previous seq', () => {
    const input = auditInput();
    expect(chainEntry({ chainSeq: '41' as unknown as number, hash: 'a'.repeat(64) }, input).chainSeq).toBe(
      42,
    );
  });

  it('hashes a Date read back from timestamptz like the string it was written as', () => {
    const input = auditInput({ at: '2025-03-01T10:00:00Z' });
    const { chainSeq, prevHash, hash } = chainEntry(null, input);
    const stored = {
      ...input,
      at: new Date('2025-03-01T10:00:00.000Z'),
      chainSeq: String(chainSeq),
      prevHash,
      hash,
    };
    expect(recomputeHash(stored)).toBe(hash);
  });

  it('does not depend on key order or on fields outside the entry', () => {
    const input = auditInput();
    const reversed = (o: object): object => Object.fromEntries(Object.entries(o).reverse());
    const reordered = {
      ...reversed(input),
      actor: reversed(input.actor),
      resource: reversed(input.resource),
    } as typeof input;
    expect(Object.keys(reordered)[0]).toBe('diff');
    expect(chainEntry(null, reordered).hash).toBe(chainEntry(null, input).hash);
    const withRowSeq = { ...input, seq: '991' } as typeof input;
    expect(chainEntry(null, withRowSeq).hash).toBe(chainEntry(null, input).hash);
  });

  it.each([
    ['a chain that is not the tenant', { chain: 'platform' }, "chain 'platform'"],
    ['a platform entry in a tenant chain', { tenantId: null }, "expected 'platform'"],
    ['a local time', { at: '2025-03-01T10:00:00+02:00' }, 'ISO-8601 UTC'],
    ['microseconds', { at: '2025-03-01T10:00:00.123456Z' }, 'ISO-8601 UTC'],
    ['an unknown outcome', { outcome: 'maybe' as 'allowed' }, 'outcome'],
    ['an empty action', { action: '' }, 'action'],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => chainEntry(null, auditInput(overrides))).toThrow(AuditEntryError);
    expect(() => chainEntry(null, auditInput(overrides))).toThrow(message);
  });

  it('refuses a diff that still holds a secret', () => {
    const input = auditInput({ tenantId: TENANT, diff: { apiKey: { after: 'plain' } } });
    expect(() => chainEntry(null, input)).toThrow('diff holds a secret');
  });

  it('refuses values canonical JSON cannot hold', () => {
    const input = auditInput({ diff: { n: Number.NaN } });
    expect(() => chainEntry(null, input)).toThrow('not a finite number');
  });
});
